import type { CommandModule } from 'yargs';
import { type Headline, headlineFromResults, runHeadline } from '../analysis/headline.ts';
import { headlineNote, headlineTable, lossesTable } from '../analysis/headlineTable.ts';
import { HexplanError } from '../errors.ts';
import { packagePath } from '../io/packageRoot.ts';
import { emit, info, progressEnabled, writeJsonOutput } from './common.ts';

interface Args {
  grid: string;
  results?: string;
  workers: number;
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
        describe: 'headline grid (hexplan/headline-grid@1) to run',
      })
      .option('results', {
        type: 'string',
        describe:
          'instead of running, read the lines `hexplan sweep --grid <headline grid>` wrote (e.g. through a Redis queue)',
      })
      .option('workers', { type: 'number', default: 1, describe: 'worker threads running the simulations' })
      .option('output', {
        alias: 'o',
        type: 'string',
        describe: 'also write every cell and the table as JSON',
      })
      .example('$0 headline --workers 2', "the paper's table on the bundled grid (about 30 s on 2 cores)")
      .example(
        '$0 headline --results headline.jsonl',
        'the table of a sweep of instances/grids/headline.json, run anywhere',
      ) as never,
  handler: async (argv) => {
    if (!Number.isInteger(argv.workers) || argv.workers < 1)
      throw new HexplanError(`--workers: expected a positive integer, got ${argv.workers}`);
    let result: Headline;
    if (argv.results !== undefined) result = headlineFromResults(argv.results);
    else {
      const progress = progressEnabled();
      result = await runHeadline(argv.grid, {
        workers: argv.workers,
        onCell: progress
          ? (done, total) => process.stderr.write(`\rheadline: ${done}/${total} runs`)
          : undefined,
      });
      if (progress) info('');
    }
    if (argv.output) writeJsonOutput(argv.output, result);
    emit(
      argv.json,
      result,
      () => `${headlineTable(result)}\n\n${headlineNote(result)}\n\n${lossesTable(result)}`,
    );
  },
};
