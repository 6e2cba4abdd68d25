import { z } from 'zod';
import { jsonNumber, resultSchema } from './result.ts';

const where = { workload: z.string(), cluster: z.string() };
const instance = {
  quantile: z.number(),
  workflows: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
};
const policyGap = {
  name: z.string(),
  scale: z.number(),
  gap_upper_pct: jsonNumber,
  gap_lower_pct: jsonNumber,
};

/** `gap --mode exact`: the exact model's optimum bracketed by the ILP, cheap bounds and the oracle. */
export const ExactGapResult = resultSchema('gap-result', {
  ...where,
  mode: z.literal('exact'),
  ...instance,
  optimum: z.strictObject({
    status: z.string(),
    lower_bound: z.number(),
    lower_bound_source: z.string(),
    upper_bound: jsonNumber,
    upper_bound_source: z.string(),
    lp_bound: z.number().nullable(),
    solver: z.string(),
    solve_s: z.number(),
    cheap_bounds: z.array(z.strictObject({ value: z.number(), source: z.string() })),
    solver_lower_bound: z.number().nullable(),
    solver_plan_verified: z.boolean().nullable(),
    solver_plan_violations: z.array(z.string()),
    oracle_optimum: z.number().nullable(),
  }),
  policies: z.array(z.strictObject({ ...policyGap, verified: z.boolean() })),
  model_error: z
    .strictObject({
      plan_source: z.string(),
      exact_scale: z.number(),
      realistic_scale: z.number(),
      relative_pct: z.number(),
    })
    .nullable(),
  notes: z.array(z.string()),
});

/** One LP of the realistic lower bound's search over k. */
export const RealisticSolve = z.strictObject({
  k: z.number(),
  intervals: z.number().int().positive(),
  status: z.string(),
  met: z.number().nullable(),
  required: z.number(),
  impossible: z.boolean().nullable(),
  columns: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  classes: z.number().int().nonnegative(),
  solve_s: z.number(),
});

/** `gap` (realistic mode): the realistic system's optimum between an LP bound and the best simulated schedule. */
export const RealisticGapResult = resultSchema('gap-result', {
  ...where,
  mode: z.literal('realistic'),
  ...instance,
  optimum: z.strictObject({
    status: z.enum(['optimal', 'bracket']),
    lower_bound: z.number(),
    lower_bound_source: z.string(),
    upper_bound: jsonNumber,
    upper_bound_source: z.string(),
    critical_path_bound: z.number(),
    lp_solves: z.array(RealisticSolve),
    lp_s: z.number(),
    search_evaluations: z.number().int().nonnegative(),
    ilp_plan_realistic_scale: z.number().nullable(),
  }),
  policies: z.array(z.strictObject(policyGap)),
  notes: z.array(z.string()),
});

/** The `-o` file of a gap run stopped by SIGINT/SIGTERM: the bracket proven so far (either mode). */
export const InterruptedGapResult = resultSchema('gap-result', {
  ...where,
  interrupted: z.literal(true),
  mode: z.enum(['exact', 'realistic']),
  ...instance,
  optimum: z.strictObject({
    status: z.literal('interrupted'),
    lower_bound: z.number().nullable(),
    lower_bound_source: z.string(),
    upper_bound: z.number().nullable(),
    upper_bound_source: z.string(),
  }),
  /** `verified` only in exact mode, where every policy's schedule goes through the verifier. */
  policies: z.array(z.strictObject({ ...policyGap, verified: z.boolean().optional() })),
  notes: z.array(z.string()),
});

export const GapResult = z.union([ExactGapResult, RealisticGapResult, InterruptedGapResult]);
