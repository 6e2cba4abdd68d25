import { z } from 'zod';

/**
 * The `--json` output of `hexplan provision --sweep-rates …`: cost versus load, one point per
 * rate multiplier (src/provision/provision.ts SweepPoint). Extra fields are kept.
 */
export const ProvisionSweepPoint = z.looseObject({
  rate_multiplier: z.number().positive(),
  verified: z.boolean(),
  stop_reason: z.string(),
  cost_per_hour: z.number().nullable(),
  lp_cost_per_hour: z.number().nullable(),
  gpus: z.number().int().nullable(),
  simulated_scale: z.number().nullable(),
  iterations: z.number().int().nonnegative(),
  counts: z.record(z.string(), z.record(z.string(), z.number())).nullable().optional(),
});
export type ProvisionSweepPoint = z.infer<typeof ProvisionSweepPoint>;

export const ProvisionSweep = z.looseObject({
  /** The target the points were sized for (absent in files written before they were recorded). */
  workload: z.string().optional(),
  quantile: z.number().optional(),
  scale: z.number().optional(),
  sweep: z.array(ProvisionSweepPoint).min(1),
});
export type ProvisionSweep = z.infer<typeof ProvisionSweep>;
