import type { Objective, Plan } from '../schema/plan.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import type { SolveStatus } from '../solver/result.ts';
import type { Deadline } from '../util/deadline.ts';
import type { ModelStats } from './continuous.ts';

/** How the placement problem is posed and solved (docs/concepts.md "Placement ILP"). */
export interface PlacementOptions {
  objective: Objective;
  /** Quantile q of the `quantile-scale` objective (default 0.95). */
  quantile: number;
  solver: SolverName;
  timeLimitS: number;
  mipRelGap?: number;
  /** `continuous`: exact big-M model; `time-indexed`: Δ-step model for LP bounds; `auto`: chosen by size. */
  formulation?: 'continuous' | 'time-indexed' | 'auto';
  /** Time step of the time-indexed model, seconds. */
  deltaS?: number;
  /** Hand the best online policy's exact-mode schedule to the solver as its start (default true). */
  warmStart?: boolean;
  onProgress?: (message: string) => void;
  /**
   * The whole run's wall-clock budget (default: `timeLimitS` from the call): heuristics, model
   * build, solve and bounds all stop at it, so the time limit bounds more than the solver.
   */
  deadline?: Deadline;
  /** Called with each better verified plan as it is found (for a saver on interrupt). */
  onIncumbent?: (plan: Plan, value: number) => void;
}

/** The optimum's bounds and the best plan found; every bound names where it came from. */
export interface PlacementResult {
  status: SolveStatus;
  objective: Objective;
  quantile: number;
  /** Objective of `plan` as re-scored by the exact simulator (replay), null without a plan. */
  upperBound: number | null;
  upperBoundSource: string;
  lowerBound: number | null;
  lowerBoundSource: string;
  /** LP-relaxation bound when one was computed. */
  lpBound: number | null;
  /** upperBound / lowerBound − 1, null without both. */
  gap: number | null;
  plan: Plan | null;
  solver: SolverName;
  solveS: number;
  /** The solver's own status and objective for its model (null when no model was solved). */
  solverStatus: SolveStatus | null;
  solverObjective: number | null;
  formulation: 'continuous' | 'time-indexed' | null;
  /** Every lower bound computed, each with its source; `lowerBound` is their maximum. */
  bounds: Array<{ value: number; source: string }>;
  /** Objective of each warm-start candidate (online policies in exact mode, offline greedy). */
  heuristics: Record<string, number>;
  modelStats: ModelStats | null;
  /** Why a status is what it is, or what was skipped, for people. */
  message?: string;
}
