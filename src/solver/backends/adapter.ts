/**
 * Turns a runner into a SolverBackend: pack the model, run it in this thread or in a watched
 * worker, verify the answer (finalize.ts). Every backend goes through here, so the rules on
 * what may be claimed, and the time-limit guarantee, are the same for all of them.
 */
import { HexplanError } from '../../errors.ts';
import type { Model } from '../model.ts';
import type { SolveOptions, SolveResult } from '../result.ts';
import { runInWorker } from '../workerClient.ts';
import type { SolverBackend } from './backend.ts';
import { finalize } from './finalize.ts';
import { invalidData, nonzeros, type PackedModel, packModel } from './packed.ts';
import type { RawAnswer, RawProgress, RunnerEntry, RunOptions } from './raw.ts';
import { workerCanLoad } from './runners.ts';

/**
 * Where the solver runs. `worker`: a worker thread stopped by a watchdog at the time limit plus
 * a grace; `inline`: this thread (HiGHS then blocks the event loop, and only its interrupt
 * callbacks enforce the limit); `auto`: a worker when a time limit is set and the model is not
 * tiny (starting a worker costs a few hundred milliseconds), or always for a solver that cannot
 * stop itself (jslp); `parallel`: a worker whenever the solver can load in one, so that solves
 * started together overlap (idle workers are reused), else inline.
 */
export type Isolation = 'auto' | 'worker' | 'inline' | 'parallel';

export interface ExecutionOptions {
  isolation?: Isolation;
  /** Heap budget for HiGHS's WebAssembly module, bytes (default 2 GiB). */
  heapLimitBytes?: number;
}

const NO_ANSWER = { objective: null, bound: null, values: null } as const;

/** Models at most this big (columns + nonzeros) run inline under `auto`: they solve in milliseconds. */
const TINY_MODEL = 2000;

export function backendFromRunner(entry: RunnerEntry): SolverBackend {
  return {
    name: entry.name,
    solve: (model: Model, options: SolveOptions & ExecutionOptions) => solveWith(entry, model, options),
  };
}

/** Seconds the watchdog waits past the time limit before terminating the worker. */
export function watchdogGraceS(timeLimitS: number): number {
  return Math.min(10, 1 + 0.1 * timeLimitS);
}

export async function solveWith(
  entry: RunnerEntry,
  model: Model,
  options: SolveOptions & ExecutionOptions = {},
): Promise<SolveResult> {
  const startedMs = Date.now();
  const t0 = performance.now();
  const packed = packModel(model, options.relax ?? false);
  if (options.start !== undefined && options.start.length !== packed.numCols) {
    throw new Error(`start has ${options.start.length} values for ${packed.numCols} columns`);
  }
  if (options.timeLimitS !== undefined && !(options.timeLimitS > 0)) {
    throw new HexplanError(`time limit must be positive, got ${options.timeLimitS}`);
  }
  const runOptions: RunOptions = {};
  if (options.timeLimitS !== undefined) {
    runOptions.timeLimitS = options.timeLimitS;
    runOptions.deadlineMs = startedMs + options.timeLimitS * 1000;
  }
  if (options.mipRelGap !== undefined) runOptions.mipRelGap = options.mipRelGap;
  if (options.lpMethod !== undefined) runOptions.lpMethod = options.lpMethod;
  if (options.start !== undefined) runOptions.start = Float64Array.from(options.start);
  if (options.heapLimitBytes !== undefined) runOptions.heapLimitBytes = options.heapLimitBytes;
  entry.precheck?.(packed, runOptions);

  const onProgress = (p: RawProgress) =>
    options.onProgress?.({ objective: p.objective, bound: p.bound, seconds: p.seconds });
  const invalid = invalidData(packed);
  let raw: RawAnswer;
  if (invalid.length > 0)
    raw = { ...NO_ANSWER, status: 'error', message: `invalid model data: ${invalid.join('; ')}` };
  else if (packed.numCols === 0) raw = solveEmpty(packed);
  else if (useWorker(entry, options, packed)) {
    const limitS = options.timeLimitS;
    const watchdogMs =
      limitS === undefined ? undefined : startedMs + (limitS + watchdogGraceS(limitS)) * 1000;
    raw = await runInWorker(entry, packed, runOptions, onProgress, watchdogMs);
  } else {
    raw = await runInline(entry, packed, runOptions, onProgress);
  }
  // A relaxation's answer is checked against the relaxation (integrality dropped).
  const checked = options.relax ? model.relaxed() : model;
  return finalize(checked, raw, entry.name, (performance.now() - t0) / 1000, options.start);
}

function useWorker(
  entry: RunnerEntry,
  options: SolveOptions & ExecutionOptions,
  packed: PackedModel,
): boolean {
  const isolation = options.isolation ?? 'auto';
  if (!workerCanLoad(entry)) {
    if (isolation === 'worker')
      throw new HexplanError(`solver ${entry.name} has no moduleUrl: it cannot run in a worker thread`);
    return false;
  }
  if (isolation !== 'auto') return isolation !== 'inline';
  if (options.timeLimitS === undefined) return false;
  // A solver that cannot stop itself (jslp's simplex can even cycle forever on a 26-column
  // MIP) only gets the time limit from the watchdog, whatever the model's size.
  return !entry.interruptible || packed.numCols + nonzeros(packed) > TINY_MODEL;
}

async function runInline(
  entry: RunnerEntry,
  packed: PackedModel,
  options: RunOptions,
  onProgress: (p: RawProgress) => void,
): Promise<RawAnswer> {
  try {
    return await entry.run(packed, options, onProgress);
  } catch (e) {
    if (e instanceof HexplanError) throw e;
    return {
      status: 'error',
      objective: null,
      bound: null,
      values: null,
      message: `${entry.name}: ${errorText(e)}`,
    };
  }
}

/** A model without columns: rows are constants, feasible or not; some solvers reject it. */
function solveEmpty(p: PackedModel): RawAnswer {
  for (let i = 0; i < p.numRows; i++) {
    if (p.rowLower[i]! > 1e-9 || p.rowUpper[i]! < -1e-9) {
      return {
        status: 'infeasible',
        objective: null,
        bound: null,
        values: null,
        message: `row ${p.rowNames[i]}`,
      };
    }
  }
  return { status: 'optimal', objective: p.offset, bound: p.offset, values: new Float64Array(0) };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
