import type { CommandModule } from 'yargs';
import { runSweep } from '../analysis/sweep/sweep.ts';
import { emit, info, progressEnabled } from './common.ts';

interface Args {
  grid: string;
  output: string;
  workers: number;
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
        describe: 'results file (JSON lines); resumed when it exists',
      })
      .option('workers', { type: 'number', default: 1, describe: 'worker threads running combinations' })
      .example('$0 sweep --grid grid.json -o results.jsonl --workers 4', 'run (or resume) a sweep') as never,
  handler: async (argv) => {
    const progress = progressEnabled();
    const summary = await runSweep(argv.grid, argv.output, {
      workers: argv.workers,
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
