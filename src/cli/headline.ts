import { z } from 'zod';
import { type Headline, headlineFromResults, runHeadline } from '../analysis/headline.ts';
import { headlineNote, headlineTable, lossesTable } from '../analysis/headlineTable.ts';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { packagePath } from '../io/packageRoot.ts';
import { withSchema } from '../schema/output.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag } from './options.ts';
import { phaseProgress } from './phaseProgress.ts';

export const headlineCommand = defineCommand({
  options: {
    grid: flag(
      z
        .string()
        .min(1)
        .default(packagePath('instances', 'grids', 'headline.json')),
      {
        describe: 'headline grid (hexplan/headline-grid@1) to run',
        defaultDescription: 'instances/grids/headline.json',
      },
    ),
    results: flag(z.string().min(1).optional(), {
      describe:
        'instead of running, read the lines `hexplan sweep --grid <headline grid>` wrote (e.g. through a Redis queue)',
    }),
    workers: flag(z.number().int().positive().default(1), {
      describe: 'worker threads running the simulations',
    }),
    output: outputFlag('also write every cell and the table as JSON'),
  },
  fieldFlags: { workers: 'workers' },
  examples: [
    ['$0 headline --workers 2', "the paper's table on the bundled grid (about 30 s on 2 cores)"],
    [
      '$0 headline --results headline.jsonl',
      'the table of a sweep of instances/grids/headline.json, run anywhere',
    ],
  ],
  run: async (o, ctx) => {
    let result: Headline;
    if (o.results !== undefined) result = headlineFromResults(o.results);
    else {
      const progress = phaseProgress(ctx, 'headline');
      try {
        result = await runHeadline(o.grid, {
          workers: o.workers,
          onCell: (done, total) => progress.step({ phase: 'cells', done, total }),
        });
      } finally {
        progress.end();
      }
    }
    if (o.output) writeFileAtomic(o.output, toJsonText(withSchema('headline-result', result)));
    ctx.emit(
      'headline-result',
      result,
      () => `${headlineTable(result)}\n\n${headlineNote(result)}\n\n${lossesTable(result)}`,
    );
  },
});
