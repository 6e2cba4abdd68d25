import { z } from 'zod';
import { Cluster, MixedTimeshare } from '../cluster.ts';
import { SimMode } from '../simMode.ts';
import { resultSchema } from './result.ts';

/** Instances per GPU type and role, e.g. { "H100-SXM5-80GB": { "prefill": 2, "decode": 3 } }. */
const Counts = z.record(z.string(), z.record(z.string(), z.number().int().nonnegative()));
const TokenRange = z.strictObject({ min: z.number(), mean: z.number(), max: z.number() });

export const LoadShape = z.strictObject({
  rate_multiplier: z.number(),
  copies: z.number().int().positive(),
  arrivals_span_s: z.number(),
  workflows: z.number().int().nonnegative(),
  kind: z.enum(['sustained', 'trace', 'burst']),
});

const LoopIteration = z.strictObject({
  iteration: z.number().int(),
  phase: z.enum(['tighten', 'refine']),
  rho: z.number(),
  reference_gpus: z.array(z.string()),
  counts: Counts,
  gpus: z.number().int().nonnegative(),
  cost_per_hour: z.number(),
  lp_cost_per_hour: z.number().nullable(),
  rate_multiplier: z.number(),
  solver_status: z.string(),
  mip_gap: z.number().nullable(),
  predicted_scale: z.number().nullable(),
  simulated_scale: z.number().nullable(),
  met: z.boolean(),
  simulated_now: z.boolean(),
  note: z.string().optional(),
});

const Homogeneous = z.strictObject({
  gpu: z.string(),
  counts: z.record(z.string(), z.number().int().nonnegative()).nullable(),
  gpus: z.number().int().nonnegative().nullable(),
  cost_per_hour: z.number().nullable(),
  meets_target: z.boolean(),
  simulated_scale: z.number().nullable(),
  exact_scale: z.number().nullable(),
  realistic_scale: z.number().nullable(),
  simulations: z.number().int().nonnegative(),
  note: z.string().optional(),
});

const NoPd = z.strictObject({
  verified: z.boolean(),
  meets_target: z.boolean(),
  stop_reason: z.string(),
  counts: Counts.nullable(),
  gpus: z.number().int().nonnegative().nullable(),
  cost_per_hour: z.number().nullable(),
  simulated_scale: z.number().nullable(),
  exact_scale: z.number().nullable(),
  realistic_scale: z.number().nullable(),
  iterations: z.number().int().nonnegative(),
});

/** What every provision result starts with: the target it was sized for. */
const target = {
  workload: z.string(),
  mode: SimMode,
  quantile: z.number(),
  scale: z.number(),
};

/** `provision` ran to the end (src/provision/provision.ts ProvisionReport). */
export const FinishedProvisionResult = resultSchema('provision-result', {
  ...target,
  interrupted: z.literal(false),
  objective: z.enum(['min-cost', 'max-rate']),
  rate_multiplier: z.number(),
  load: LoadShape,
  sustained_rate_multiplier: z.number(),
  budget_per_hour: z.number().nullable(),
  latency_share: z.number(),
  verified: z.boolean(),
  stop_reason: z.string(),
  message: z.string(),
  found_by: z.string().nullable(),
  locally_minimal: z.boolean(),
  local_search: z
    .strictObject({
      simulations: z.number().int().nonnegative(),
      accepted: z.number().int().nonnegative(),
      note: z.string().nullable(),
    })
    .nullable(),
  counts: Counts,
  gpus: z.number().int().nonnegative(),
  cost_per_hour: z.number(),
  cost_lower_bound: z.number().nullable(),
  cost_lower_bound_source: z.string().nullable(),
  gap: z.number().nullable(),
  rate_upper_bound: z.number().nullable(),
  roles: z.string(),
  milp_cost_per_hour: z.number().nullable(),
  lp_cost_per_hour: z.number().nullable(),
  simulated: z.strictObject({
    mode: SimMode,
    policy: z.string(),
    quantile: z.number(),
    scale: z.number(),
    exact_scale: z.number().nullable(),
    realistic_scale: z.number().nullable(),
    /**
     * How mixed instances shared their GPU between prefill and decode (cluster field
     * `mixed_timeshare`: false side by side, true whole prefill batches first, "chunked").
     */
    mixed_timeshare: MixedTimeshare,
    /**
     * The answer's realistic scale with its mixed instances sharing their GPU by chunked prefill
     * (`mixed_timeshare: "chunked"`); null when it has none or was simulated so.
     */
    chunked_prefill_scale: z.number().nullable().default(null),
  }),
  candidates: z.number().int().nonnegative(),
  simulations: z.number().int().nonnegative(),
  iterations: z.array(LoopIteration),
  model: z.strictObject({
    classes: z.number().int().nonnegative(),
    instance_types: z.number().int().nonnegative(),
    route_pairs: z.number().int().nonnegative(),
    span_s: z.number(),
    tp: z.record(z.string(), z.record(z.string(), z.number().int().positive())),
  }),
  classes: z.array(
    z.strictObject({
      id: z.string(),
      calls: z.number().int().nonnegative(),
      rate_per_s: z.number(),
      input_tokens: TokenRange,
      output_tokens: TokenRange,
    }),
  ),
  homogeneous: z.array(Homogeneous),
  no_pd: NoPd.nullable(),
  /** (baseline − answer) / baseline × 100, per homogeneous GPU and for `no_pd`. */
  savings_pct: z.record(z.string(), z.number().nullable()),
});

/** SIGINT/SIGTERM during `provision`: the cheapest cluster verified so far, if any. */
export const InterruptedProvisionResult = resultSchema('provision-result', {
  ...target,
  /** The online policy the verifying simulations ran. */
  policy: z.string(),
  interrupted: z.literal(true),
  verified: z.boolean(),
  best: z
    .strictObject({
      cost_per_hour: z.number(),
      gpus: z.number().int().nonnegative(),
      instances: z.number().int().nonnegative(),
      found_by: z.string(),
      simulated_scale: z.number(),
      cluster: Cluster,
    })
    .nullable(),
});

export const ProvisionResult = z.discriminatedUnion('interrupted', [
  FinishedProvisionResult,
  InterruptedProvisionResult,
]);
