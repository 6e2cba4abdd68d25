/**
 * What a solve reports, kept apart as MathOptInterface does: why it stopped (`status`), what it
 * found (`objective`, `values`) and what it proved (`bound`, `gap`). A time limit with an
 * incumbent is not an error, and nothing is "optimal" unless the solver proved it and the
 * point passed `Model.violations`.
 */
export type SolveStatus = 'optimal' | 'time_limit' | 'infeasible' | 'unbounded' | 'error';

export interface SolveResult {
  status: SolveStatus;
  /** Objective of the returned point (verified against the model), null when there is none. */
  objective: number | null;
  /** Proven bound on the optimum (dual bound), null when the solver gave none. */
  bound: number | null;
  /** Relative gap |objective − bound| / max(|objective|, 1e-9), null without both. */
  gap: number | null;
  /** One value per model column, null when no feasible point was found. */
  values: Float64Array | null;
  /**
   * LP row prices y, one per row, signed as the objective's rate of change with the row's
   * right-hand side, so that `cost_j − Σ_r y_r·a_rj` is column j's reduced cost whatever the
   * objective's sense. The solver's word, unverified: a proof built on them must check them
   * (src/solver/lagrangian.ts does). Absent for MIPs and when the solver gave none.
   */
  duals?: Float64Array;
  solveSeconds: number;
  solver: string;
  /** Why a status was downgraded or what went wrong, for people. */
  message?: string;
}

export interface SolveOptions {
  /** Wall-clock limit in seconds, enforced by a watchdog, not only by the solver. */
  timeLimitS?: number;
  /** Relative MIP gap at which the solver may stop and call the point optimal. */
  mipRelGap?: number;
  /**
   * LP algorithm for backends that offer a choice (HiGHS): interior point is much faster than
   * simplex on large, degenerate time-interval LPs; the default is the backend's own choice.
   */
  lpMethod?: 'simplex' | 'ipm';
  /** A starting point (one value per column) for backends that accept one. */
  start?: ArrayLike<number>;
  /** Solve the LP relaxation instead of the MIP. */
  relax?: boolean;
  /** Called with solver progress (incumbent, bound) where the backend reports it. */
  onProgress?: (p: { objective: number | null; bound: number | null; seconds: number }) => void;
}

export function relativeGap(objective: number | null, bound: number | null): number | null {
  if (objective === null || bound === null) return null;
  return Math.abs(objective - bound) / Math.max(Math.abs(objective), 1e-9);
}
