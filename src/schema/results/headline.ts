import { z } from 'zod';
import { SimMode } from '../simMode.ts';
import { resultSchema } from './result.ts';

const reduction = z.strictObject({ mean: z.number(), max: z.number(), min: z.number() });
const paperReduction = z.strictObject({ mean: z.number(), max: z.number() });

export const HeadlineResult = resultSchema('headline-result', {
  grid: z.string(),
  cells: z.array(
    z.strictObject({
      family: z.string(),
      cluster: z.string(),
      load: z.number(),
      mode: SimMode,
      workflows: z.number().int().nonnegative(),
      calls: z.number().int().nonnegative(),
      /** Required scale at q = 0.95 and 0.99, per policy. */
      p95: z.record(z.string(), z.number()),
      p99: z.record(z.string(), z.number()),
    }),
  ),
  /** One row per baseline, then "all (fair)". */
  rows: z.array(z.strictObject({ versus: z.string(), p95: reduction, p99: reduction })),
  /** Strawman baselines left out of "all (fair)". */
  set_aside: z.array(z.string()),
  losses: z.array(
    z.strictObject({
      family: z.string(),
      cluster: z.string(),
      load: z.number(),
      mode: SimMode,
      best: z.string(),
      ratio: z.number(),
    }),
  ),
  /** The reductions the HexAGenT paper reports, for comparison. */
  paper: z.strictObject({ p95: paperReduction, p99: paperReduction }),
});
