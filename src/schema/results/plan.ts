import { z } from 'zod';
import { Plan } from '../plan.ts';
import { resultSchema } from './result.ts';

const SolveStatus = z.enum(['optimal', 'time_limit', 'infeasible', 'unbounded', 'error']);

/** Size of the placement model that was built (src/placement/continuous.ts ModelStats). */
export const PlacementModelStats = z.strictObject({
  calls: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
  binaries: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  prefill_order_pairs: z.number().int().nonnegative(),
  decode_order_pairs: z.number().int().nonnegative(),
  overlap_indicators: z.number().int().nonnegative(),
  capacity_rows_skipped: z.number().int().nonnegative(),
  tie_triples: z.number().int().nonnegative(),
  symmetry_groups: z.number().int().nonnegative(),
});
export type PlacementModelStats = z.output<typeof PlacementModelStats>;

export const PlanResult = resultSchema('plan-result', {
  workload: z.string(),
  cluster: z.string(),
  /** The plan file written; null without -o or without a plan. */
  output: z.string().nullable(),
  status: SolveStatus,
  objective: z.string(),
  quantile: z.number(),
  upper_bound: z.number().nullable(),
  upper_bound_source: z.string(),
  lower_bound: z.number().nullable(),
  lower_bound_source: z.string(),
  gap: z.number().nullable(),
  solver: z.string(),
  solve_s: z.number(),
  bounds: z.array(z.strictObject({ value: z.number(), source: z.string() })),
  solver_status: SolveStatus.nullable(),
  solver_objective: z.number().nullable(),
  formulation: z.enum(['continuous', 'time-indexed']).nullable(),
  /** Objective of each warm-start candidate, keyed `heuristic:<policy>`. */
  heuristics: z.record(z.string(), z.number()),
  model: PlacementModelStats.nullable(),
  message: z.string().nullable(),
  plan: Plan.nullable(),
});
