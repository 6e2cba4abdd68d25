/**
 * Solver worker thread: runs one job at a time with the same runner the calling thread would
 * use, streaming progress (incumbents and bounds) so that, if the watchdog has to terminate
 * this thread, the best point and bound seen so far are not lost. Loaded through
 * worker-bootstrap.mjs, which registers tsx first.
 */
import { parentPort } from 'node:worker_threads';
import { HexplanError } from '../errors.ts';
import type { RunnerEntry } from './backends/raw.ts';
import { getRunner } from './backends/runners.ts';
import type { SolveJob, WorkerMessage } from './workerProtocol.ts';

if (!parentPort) throw new Error('src/solver/worker.ts must run in a worker thread');
const port = parentPort;
const post = (m: WorkerMessage) => port.postMessage(m);

port.on('message', async (job: SolveJob) => {
  try {
    const entry: RunnerEntry = job.moduleUrl
      ? ((await import(job.moduleUrl)) as { runner: RunnerEntry }).runner
      : getRunner(job.solver);
    const answer = await entry.run(job.packed, job.options, (progress) =>
      post({ type: 'progress', id: job.id, progress }),
    );
    post({ type: 'done', id: job.id, answer });
  } catch (e) {
    post({
      type: 'error',
      id: job.id,
      message: e instanceof Error ? e.message : String(e),
      userError: e instanceof HexplanError,
    });
  }
});
