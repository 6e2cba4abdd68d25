import { Worker } from 'node:worker_threads';
import { HexplanError } from '../../errors.ts';
import { workerEntry } from '../../util/workerEntry.ts';
import type { Combo } from './combos.ts';
import type { SweepJob, SweepReply } from './worker.ts';

/**
 * Runs `combos` on `workers` threads, calling `onLine(index, line)` as each finishes (in
 * completion order; the caller restores grid order). Rejects on the first failure and stops
 * every worker; a run that fails is a HexplanError when the user can fix it.
 */
export function runInWorkers(
  combos: readonly Combo[],
  workers: number,
  onLine: (index: number, line: string) => void,
): Promise<void> {
  const count = Math.max(1, Math.min(workers, combos.length));
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
      if (next >= combos.length) return;
      const job: SweepJob = { index: next, combo: combos[next]! };
      next++;
      t.postMessage(job);
    };
    if (combos.length === 0) return resolve();
    for (let k = 0; k < count; k++) {
      const t = new Worker(workerEntry(import.meta.url, 'worker'));
      threads.push(t);
      t.on('message', (m: SweepReply) => {
        if (failed) return;
        if (m.type === 'error') {
          const where = combos[m.index]!.key;
          return fail(
            m.userError ? new HexplanError(m.message) : new Error(`sweep run ${where}: ${m.message}`),
          );
        }
        try {
          onLine(m.index, m.line);
        } catch (e) {
          return fail(e as Error);
        }
        finished++;
        if (finished === combos.length) {
          stop();
          resolve();
        } else dispatch(t);
      });
      t.on('error', (e) => fail(new Error(`sweep worker crashed: ${e.message}`)));
      t.on('exit', (code) => {
        if (!failed && finished < combos.length) fail(new Error(`sweep worker exited with code ${code}`));
      });
      dispatch(t);
    }
  });
}
