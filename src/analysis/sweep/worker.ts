/**
 * Sweep worker thread: runs combinations one at a time and posts each result line back.
 * Loaded through worker-bootstrap.mjs, which registers tsx first.
 */
import { parentPort } from 'node:worker_threads';
import { HexplanError } from '../../errors.ts';
import type { Combo } from './combos.ts';
import { runCombo, ScenarioCache } from './runCombo.ts';

export type SweepJob = { index: number; combo: Combo };
export type SweepReply =
  | { type: 'done'; index: number; line: string }
  | { type: 'error'; index: number; message: string; userError: boolean };

if (!parentPort) throw new Error('src/analysis/sweep/worker.ts must run in a worker thread');
const port = parentPort;
const cache = new ScenarioCache();

port.on('message', (job: SweepJob) => {
  let reply: SweepReply;
  try {
    reply = { type: 'done', index: job.index, line: runCombo(job.combo, cache) };
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
