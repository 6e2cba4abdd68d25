import { Worker } from 'node:worker_threads';
import { HexplanError } from '../../errors.ts';
import type { Cell } from './cells.ts';
import type { OnLine } from './timing.ts';
import type { SweepJob, SweepReply } from './worker.ts';

/**
 * Runs `cells` on `workers` threads, calling `onLine(index, line)` as each finishes (in
 * completion order; the caller restores grid order). Rejects on the first failure and stops
 * every worker; a run that fails is a HexplanError when the user can fix it.
 */
export function runInWorkers(cells: readonly Cell[], workers: number, onLine: OnLine): Promise<void> {
  const count = Math.max(1, Math.min(workers, cells.length));
  return new Promise((resolve, reject) => {
    const threads: Worker[] = [];
    let next = 0;
    let finished = 0;
    let failed = false;
    const stop = () => {
      for (const t of threads) void t.terminate();
    };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      stop();
      reject(err);
    };
    const dispatch = (t: Worker) => {
      if (next >= cells.length) return;
      const job: SweepJob = { index: next, cell: cells[next]! };
      next++;
      t.postMessage(job);
    };
    if (cells.length === 0) return resolve();
    for (let k = 0; k < count; k++) {
      const t = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url));
      threads.push(t);
      t.on('message', (m: SweepReply) => {
        if (failed) return;
        if (m.type === 'error') {
          const where = cells[m.index]!.key;
          return fail(
            m.userError ? new HexplanError(m.message) : new Error(`sweep run ${where}: ${m.message}`),
          );
        }
        try {
          onLine(m.index, m.line, { elapsed_ms: m.elapsedMs, worker: `thread ${k + 1}`, attempts: 1 });
        } catch (e) {
          return fail(e as Error);
        }
        finished++;
        if (finished === cells.length) {
          stop();
          resolve();
        } else dispatch(t);
      });
      t.on('error', (e) => fail(new Error(`sweep worker crashed: ${e.message}`)));
      t.on('exit', (code) => {
        if (!failed && finished < cells.length) fail(new Error(`sweep worker exited with code ${code}`));
      });
      dispatch(t);
    }
  });
}
