import { z } from 'zod';
import { aboveLimit, belowLimit, LIMITS } from './limits.ts';
import { SimMode } from './simMode.ts';

export const GRID_SCHEMA = 'hexplan/grid@1';

/** A sweep: every combination workload × cluster × policy × mode × rate multiplier is one run. */
export const Grid = z.strictObject({
  schema: z.literal(GRID_SCHEMA),
  name: z.string().optional(),
  /** Workload files, relative to the grid file. */
  workloads: z.array(z.string().min(1)).min(1),
  /** Cluster files, relative to the grid file. */
  clusters: z.array(z.string().min(1)).min(1),
  policies: z.array(z.string().min(1)).min(1),
  modes: z.array(SimMode).min(1).default(['exact']),
  /** Load multipliers: arrivals compressed as arrival_s / m. */
  rate_multipliers: z
    .array(
      z
        .number()
        .positive()
        .min(LIMITS.minRateMultiplier, belowLimit(LIMITS.minRateMultiplier))
        .max(LIMITS.maxRateMultiplier, aboveLimit(LIMITS.maxRateMultiplier)),
    )
    .min(1)
    .default([1]),
  /** Quantiles q whose required scale each result line reports. */
  quantiles: z.array(z.number().gt(0).max(1)).min(1).default([0.95, 0.99]),
});
export type Grid = z.infer<typeof Grid>;
