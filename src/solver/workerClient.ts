/**
 * Runs a solver in a worker thread under a watchdog. HiGHS blocks its thread and its own time
 * limit is soft, so the guarantee that a solve ends is kept here: at the deadline plus a grace
 * the worker is terminated, and the best incumbent and bound it streamed are reported as a
 * time limit. Idle workers are kept (unreferenced, so they never hold the process open) and
 * reused, which saves the start-up (tsx + WebAssembly load) on later solves.
 */
import { Worker } from 'node:worker_threads';
import { HexplanError } from '../errors.ts';
import type { PackedModel } from './backends/packed.ts';
import type { RawAnswer, RawProgress, RunnerEntry, RunOptions } from './backends/raw.ts';
import type { SolveJob, WorkerMessage } from './workerProtocol.ts';

const idle: Worker[] = [];
const MAX_IDLE = 2;
let nextJobId = 1;

function spawnWorker(): Worker {
  return new Worker(new URL('./worker-bootstrap.mjs', import.meta.url));
}

/**
 * Solves `packed` with `solver` in a worker. `watchdogAtMs` (Date.now time) is when the worker
 * is terminated if it has not answered; the answer is then `time_limit` with what was streamed.
 */
export function runInWorker(
  entry: RunnerEntry,
  packed: PackedModel,
  options: RunOptions,
  onProgress: (p: RawProgress) => void,
  watchdogAtMs?: number,
): Promise<RawAnswer> {
  const solver = entry.name;
  return new Promise((resolve, reject) => {
    const worker = idle.pop() ?? spawnWorker();
    worker.ref();
    const id = nextJobId++;
    const startedMs = Date.now();
    let incumbent: Float64Array | null = null;
    let incumbentObjective: number | null = null;
    let bound: number | null = null;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const settle = (keepWorker: boolean) => {
      settled = true;
      if (timer) clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (keepWorker && idle.length < MAX_IDLE) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
    };
    const streamed = (message: string): RawAnswer => ({
      status: 'time_limit',
      objective: incumbentObjective,
      bound,
      values: incumbent,
      message,
    });
    const onMessage = (m: WorkerMessage) => {
      if (settled || m.id !== id) return;
      if (m.type === 'progress') {
        const p = m.progress;
        if (p.values) {
          incumbent = p.values;
          incumbentObjective = p.objective;
        }
        if (p.bound !== null) bound = p.bound;
        onProgress(p);
      } else if (m.type === 'done') {
        settle(true);
        resolve(m.answer);
      } else {
        // After a solver failure (e.g. a WebAssembly abort) the worker's runtime may be broken.
        settle(m.userError);
        if (m.userError) reject(new HexplanError(m.message));
        else resolve({ ...streamed(`${solver} failed in its worker: ${m.message}`), status: 'error' });
      }
    };
    const onError = (e: Error) => {
      if (settled) return;
      settle(false);
      resolve({ ...streamed(`${solver} worker crashed: ${e.message}`), status: 'error' });
    };
    const onExit = (code: number) => {
      if (settled) return;
      settle(false);
      resolve({ ...streamed(`${solver} worker exited with code ${code}`), status: 'error' });
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (watchdogAtMs !== undefined) {
      timer = setTimeout(
        () => {
          if (settled) return;
          settle(false);
          const s = ((Date.now() - startedMs) / 1000).toFixed(1);
          resolve(streamed(`watchdog terminated the ${solver} worker after ${s} s (time limit passed)`));
        },
        Math.max(0, watchdogAtMs - Date.now()),
      );
    }
    const job: SolveJob = {
      id,
      solver,
      packed,
      options,
      ...(entry.moduleUrl ? { moduleUrl: entry.moduleUrl } : {}),
    };
    worker.postMessage(job);
  });
}

/** Terminates idle workers (tests and long-lived processes that want a clean exit). */
export async function closeIdleWorkers(): Promise<void> {
  const all = idle.splice(0);
  await Promise.all(all.map((w) => w.terminate()));
}
