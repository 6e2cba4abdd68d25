import { z } from 'zod';
import { SimMode } from './simMode.ts';

/**
 * One line of a `hexplan sweep` results file (JSON lines), as written by
 * src/analysis/sweep/runCombo.ts. Extra fields are kept so older reports read newer lines.
 */
export const SweepResultLine = z.looseObject({
  key: z.string().min(1),
  workload: z.string().min(1),
  cluster: z.string().min(1),
  policy: z.string().min(1),
  mode: SimMode,
  rate_multiplier: z.number().positive(),
  workflows: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number(),
  /** Required SLO scale by quantile, keyed by the quantile as written in the grid ("0.95"). */
  required: z.record(z.string(), z.number()),
  makespan_s: z.number(),
});
export type SweepResultLine = z.infer<typeof SweepResultLine>;
