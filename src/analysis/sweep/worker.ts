/**
 * Sweep worker thread: runs cells one at a time and posts each result line back. Used by the
 * thread pool (pool.ts) and by `hexplan worker` (queue/worker.ts), whose own thread must stay
 * free to renew its queue locks while a cell computes. Loaded through worker-bootstrap.mjs,
 * which registers tsx first.
 */
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { HexplanError } from '../../errors.ts';
import type { Cell } from './cells.ts';
import { runCell, ScenarioCache } from './runCell.ts';

export type SweepJob = { index: number; cell: Cell };
export type SweepReply =
  | { type: 'done'; index: number; line: string; elapsedMs: number }
  | { type: 'error'; index: number; message: string; userError: boolean };

if (!parentPort) throw new Error('src/analysis/sweep/worker.ts must run in a worker thread');
const port = parentPort;
const cache = new ScenarioCache();

// One cell at a time: the pool and the queue worker both wait for a reply before posting again.
port.on('message', async (job: SweepJob) => {
  let reply: SweepReply;
  const t0 = performance.now();
  try {
    const line = await runCell(job.cell, cache);
    reply = { type: 'done', index: job.index, line, elapsedMs: performance.now() - t0 };
  } catch (e) {
    reply = {
      type: 'error',
      index: job.index,
      message:
        e instanceof HexplanError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e),
      userError: e instanceof HexplanError,
    };
  }
  port.postMessage(reply);
});
