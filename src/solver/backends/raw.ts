/**
 * The contract between a solver adapter's translation step and the shared verification step.
 * A runner translates a packed model to its solver, runs it and reports what the solver
 * said, unchecked; `finalize.ts` then checks the point against the Model and decides what may
 * be claimed. Runners are plain async functions of plain data, so the same runner runs in the
 * calling thread or inside a worker (worker.ts).
 */
import type { SolverName } from './backend.ts';
import type { PackedModel } from './packed.ts';

/** What the solver claims. `infeasible_or_unbounded` is resolved by the runner before returning. */
export type RawStatus = 'optimal' | 'time_limit' | 'infeasible' | 'unbounded' | 'error';

export interface RawAnswer {
  status: RawStatus;
  /** Solver's own objective for `values` (constant included), for cross-checking only. */
  objective: number | null;
  /** Proven dual bound (constant included), null when the solver gives none. */
  bound: number | null;
  values: Float64Array | null;
  /** Row prices of an LP (SolveResult.duals' convention), when the solver gives them. */
  duals?: Float64Array | null;
  message?: string;
}

export interface RunOptions {
  timeLimitS?: number;
  mipRelGap?: number;
  lpMethod?: 'simplex' | 'ipm';
  start?: Float64Array;
  /**
   * Wall-clock instant (ms since epoch, this process's Date.now) past which the runner must
   * interrupt the solver; set from the time limit when the solve starts, so model loading and
   * presolve count against it too.
   */
  deadlineMs?: number;
  /** Heap budget for WebAssembly solvers, bytes (tests lower it to exercise the refusal). */
  heapLimitBytes?: number;
}

/** A progress event: incumbent objective, best bound, and the incumbent point when it improved. */
export interface RawProgress {
  objective: number | null;
  bound: number | null;
  seconds: number;
  values?: Float64Array;
}

export type RawRunner = (
  packed: PackedModel,
  options: RunOptions,
  onProgress: (p: RawProgress) => void,
) => Promise<RawAnswer>;

export interface RunnerEntry {
  name: SolverName;
  /**
   * A module exporting this entry as `runner`, so a worker thread can load it. The built-in
   * runners are found by name; a plug-in registered without it runs in the calling thread.
   */
  moduleUrl?: string;
  run: RawRunner;
  /** Whether the solver stops itself at the deadline (callbacks, its own limit); if not, only the watchdog can. */
  interruptible: boolean;
  /** Refusals decided from the model's size alone, run in the calling thread before any work. */
  precheck?: (packed: PackedModel, options: RunOptions) => void;
}
