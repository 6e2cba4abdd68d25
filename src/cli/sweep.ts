import type { CommandModule } from 'yargs';
import { parseShard } from '../analysis/sweep/shard.ts';
import { runSweep } from '../analysis/sweep/sweep.ts';
import { HexplanError } from '../errors.ts';
import { emit, info, progressEnabled } from './common.ts';

interface Args {
  grid: string;
  output: string;
  workers: number;
  queue?: string;
  'queue-name'?: string;
  shard?: string;
  json: boolean;
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep',
  builder: (y) =>
    y
      .option('grid', { type: 'string', demandOption: true, describe: 'grid file (hexplan/grid@1)' })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe:
          'results file (JSON lines); resumed when it exists. Timings go to R.timings.jsonl beside it',
      })
      .option('workers', { type: 'number', default: 1, describe: 'worker threads running cells' })
      .option('queue', {
        type: 'string',
        describe:
          'redis://HOST:PORT[/DB]: enqueue the cells for `hexplan worker` processes and collect their lines',
      })
      .option('queue-name', { type: 'string', describe: 'queue name on that Redis (default hexplan-sweep)' })
      .option('shard', {
        type: 'string',
        describe:
          'i/n: only the i-th of n contiguous blocks of the grid; shard files concatenate to the whole',
      })
      .example('$0 sweep --grid grid.json -o results.jsonl --workers 4', 'run (or resume) a sweep')
      .example(
        '$0 sweep --grid grid.json -o results.jsonl --queue redis://127.0.0.1:6379',
        'through Redis: start `hexplan worker --queue redis://127.0.0.1:6379` on each machine',
      )
      .example(
        '$0 sweep --grid grid.json -o part-$SLURM_ARRAY_TASK_ID.jsonl --shard $SLURM_ARRAY_TASK_ID/8',
        'one shard of a Slurm array of 8',
      ) as never,
  handler: async (argv) => {
    if (argv.queue !== undefined && argv.shard !== undefined)
      throw new HexplanError('--shard and --queue: choose one (a queue already spreads the cells)');
    const progress = progressEnabled();
    const summary = await runSweep(argv.grid, argv.output, {
      workers: argv.workers,
      ...(argv.queue !== undefined
        ? { queue: { url: argv.queue, ...(argv['queue-name'] ? { name: argv['queue-name'] } : {}) } }
        : {}),
      ...(argv.shard !== undefined ? { shard: parseShard('--shard', argv.shard) } : {}),
      onStart: ({ runs, skipped, dropped, todo }) => {
        const cut = dropped > 0 ? `, ${dropped} cut or foreign line${dropped === 1 ? '' : 's'} dropped` : '';
        info(`sweep: ${runs} runs, ${skipped} skipped as done${cut}, ${todo} to run`);
      },
      onProgress: progress
        ? (written, todo) => {
            process.stderr.write(`\rsweep: ${written}/${todo} runs`);
            if (written === todo) process.stderr.write('\n');
          }
        : undefined,
    });
    emit(
      argv.json,
      summary,
      () =>
        `${summary.runs} runs: ${summary.skipped} skipped as done, ${summary.written} written to ${summary.file}`,
    );
  },
};
