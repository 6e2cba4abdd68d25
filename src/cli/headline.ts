import type { CommandModule } from 'yargs';
import { runHeadline } from '../analysis/headline.ts';
import { headlineNote, headlineTable, lossesTable } from '../analysis/headlineTable.ts';
import { packagePath } from '../io/packageRoot.ts';
import { emit, info, progressEnabled, writeJsonOutput } from './common.ts';

interface Args {
  grid: string;
  output?: string;
  json: boolean;
}

export const headlineCommand: CommandModule<object, Args> = {
  command: 'headline',
  builder: (y) =>
    y
      .option('grid', {
        type: 'string',
        default: packagePath('instances', 'grids', 'headline.json'),
        defaultDescription: 'instances/grids/headline.json',
        describe: 'headline grid (hexplan/headline-grid@1)',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'also write every cell and the table as JSON',
      })
      .example('$0 headline', "the paper's table on the bundled grid (about 10 minutes on 2 cores)") as never,
  handler: (argv) => {
    const progress = progressEnabled();
    const result = runHeadline(argv.grid, {
      onCell: progress
        ? (done, total) => process.stderr.write(`\rheadline: ${done}/${total} cells`)
        : undefined,
    });
    if (progress) info('');
    if (argv.output) writeJsonOutput(argv.output, result);
    emit(
      argv.json,
      result,
      () => `${headlineTable(result)}\n\n${headlineNote(result)}\n\n${lossesTable(result)}`,
    );
  },
};
