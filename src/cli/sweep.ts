import { existsSync } from 'node:fs';
import { z } from 'zod';
import { sweepCsv } from '../analysis/sweep/csv.ts';
import { parseShard } from '../analysis/sweep/shard.ts';
import { runSweep, type SweepSummary } from '../analysis/sweep/sweep.ts';
import { readTextFile, toJsonText, writeFileAtomic } from '../io/files.ts';
import { withSchema } from '../schema/output.ts';
import { CommandLineError, defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { csvFlag, outputFlag, queueNameFlag } from './options.ts';
import type { Progress } from './progress.ts';

/** The complete lines of a results file (a cut last line is not a result). */
function completeLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const parts = readTextFile(file).split('\n');
  parts.pop();
  return parts.filter((l) => l.trim() !== '');
}

export const sweepCommand = defineCommand({
  options: {
    grid: flag(z.string().min(1), { describe: 'grid file (hexplan/grid@1)' }),
    output: outputFlag(
      'results file (JSON lines); resumed when it exists. Timings go to R.timings.jsonl beside it',
      true,
    ),
    workers: flag(z.number().int().positive().default(1), { describe: 'worker threads running cells' }),
    queue: flag(z.string().min(1).optional(), {
      describe:
        'redis://HOST:PORT[/DB]: enqueue the cells for `hexplan worker` processes and collect their lines',
    }),
    queueName: queueNameFlag(),
    shard: flag(z.string().min(1).optional(), {
      describe: 'i/n: only the i-th of n contiguous blocks of the grid; shard files concatenate to the whole',
    }),
    csv: csvFlag('every result, one row per cell × policy × quantile (plot-ready)'),
  },
  fieldFlags: { workers: 'workers', queue: 'queue', shard: 'shard', concurrency: 'workers' },
  examples: [
    ['$0 sweep --grid grid.json -o results.jsonl --workers 4', 'run (or resume) a sweep'],
    ['$0 sweep --grid grid.json -o results.jsonl --csv results.csv', '… and the results as one table'],
    [
      '$0 sweep --grid grid.json -o results.jsonl --queue redis://127.0.0.1:6379',
      'through Redis: start `hexplan worker --queue redis://127.0.0.1:6379` on each machine',
    ],
    [
      '$0 sweep --grid grid.json -o part-$SLURM_ARRAY_TASK_ID.jsonl --shard $SLURM_ARRAY_TASK_ID/8',
      'one shard of a Slurm array of 8',
    ],
  ],
  run: async (o, ctx) => {
    if (o.queue !== undefined && o.shard !== undefined)
      throw new CommandLineError('--shard and --queue: choose one (a queue already spreads the cells)');
    const shard = o.shard !== undefined ? parseShard('shard', o.shard) : undefined;
    const progress: { bar: Progress | null } = { bar: null };
    let runs = 0;
    let skipped = 0;
    let written = 0;
    // Every finished cell is already a line of the results file, so an interrupt loses only the
    // cells still running; the CSV and the summary describe what the file holds.
    ctx.onInterrupt(() => {
      if (o.csv) writeFileAtomic(o.csv, sweepCsv(completeLines(o.output)));
      if (ctx.json) {
        const partial = { interrupted: true, runs, skipped, written, output: o.output };
        process.stdout.write(toJsonText(withSchema('sweep-result', partial)));
      }
      return o.csv ?? o.output;
    });
    let summary: SweepSummary;
    try {
      summary = await runSweep(o.grid, o.output, {
        workers: o.workers,
        ...(o.queue !== undefined
          ? { queue: { url: o.queue, ...(o.queueName ? { name: o.queueName } : {}) } }
          : {}),
        ...(shard ? { shard } : {}),
        onStart: (s) => {
          runs = s.runs;
          skipped = s.skipped;
          const cut =
            s.dropped > 0 ? `, ${s.dropped} cut or foreign line${s.dropped === 1 ? '' : 's'} dropped` : '';
          const stale =
            s.stale > 0
              ? `, ${s.stale} line${s.stale === 1 ? '' : 's'} run again (mixed instances shared their GPU otherwise then)`
              : '';
          ctx.info(`sweep: ${s.runs} runs, ${s.skipped} skipped as done${cut}${stale}, ${s.todo} to run`);
          progress.bar = ctx.progress('sweep', s.todo);
        },
        onProgress: (done) => {
          written = done;
          progress.bar?.update(done);
        },
      });
    } finally {
      progress.bar?.stop();
    }
    if (o.csv) writeFileAtomic(o.csv, sweepCsv(completeLines(o.output)));
    const result = { interrupted: false, ...summary, ...(o.csv ? { csv: o.csv } : {}) };
    ctx.emit(
      'sweep-result',
      result,
      () =>
        `${summary.runs} runs: ${summary.skipped} skipped as done, ${summary.written} written to ${summary.output}` +
        (o.csv ? `; table in ${o.csv}` : ''),
    );
  },
});
