import { z } from 'zod';
import { runHeadline } from '../analysis/headline.ts';
import { headlineNote, headlineTable, lossesTable } from '../analysis/headlineTable.ts';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { packagePath } from '../io/packageRoot.ts';
import { withSchema } from '../schema/output.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag } from './options.ts';
import type { Progress } from './progress.ts';

export const headlineCommand = defineCommand({
  name: 'headline',
  describe:
    "the HexAGenT paper's headline: mean and max reduction of the required scale vs each baseline, over a grid",
  options: {
    grid: flag(
      z
        .string()
        .min(1)
        .default(packagePath('instances', 'grids', 'headline.json')),
      {
        describe: 'headline grid (hexplan/headline-grid@1)',
        defaultDescription: 'instances/grids/headline.json',
      },
    ),
    output: outputFlag('also write every cell and the table as JSON'),
  },
  examples: [['$0 headline', "the paper's table on the bundled grid (about 10 minutes on 2 cores)"]],
  run: (o, ctx) => {
    const progress: { bar: Progress | null } = { bar: null };
    let result: ReturnType<typeof runHeadline>;
    try {
      result = runHeadline(o.grid, {
        onCell: (done, total) => {
          progress.bar ??= ctx.progress('headline', total);
          progress.bar.update(done);
        },
      });
    } finally {
      progress.bar?.stop();
    }
    if (o.output) writeFileAtomic(o.output, toJsonText(withSchema('headline-result', result)));
    ctx.emit(
      'headline-result',
      result,
      () => `${headlineTable(result)}\n\n${headlineNote(result)}\n\n${lossesTable(result)}`,
    );
  },
});
