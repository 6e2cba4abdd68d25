import { z } from 'zod';
import { aboveLimit, LIMITS } from './limits.ts';

export const PLAN_SCHEMA = 'hexplan/plan@1';

export const PlannedCall = z.strictObject({
  workflow: z.string().min(1),
  call: z.string().min(1),
  prefill_instance: z.string().min(1),
  decode_instance: z.string().min(1),
  prefill_start_s: z.number().nonnegative().max(LIMITS.maxPlanTimeS, aboveLimit(LIMITS.maxPlanTimeS)),
  decode_start_s: z.number().nonnegative().max(LIMITS.maxPlanTimeS, aboveLimit(LIMITS.maxPlanTimeS)),
});
export type PlannedCall = z.infer<typeof PlannedCall>;

/** A placement objective's name; the registry in src/objective/ says which exist. */
export const Objective = z.string().min(1);
export type Objective = z.infer<typeof Objective>;

export const Plan = z.strictObject({
  schema: z.literal(PLAN_SCHEMA),
  objective: Objective,
  quantile: z.number().gt(0).max(1).optional(),
  /** What the solver reported for this plan, so `verify` and `replay` can check it is reproduced. */
  reported: z
    .strictObject({
      status: z.string(),
      objective: z.number().nullable(),
      lower_bound: z.number().nullable(),
      /** Relative gap within which `status: "optimal"` was declared (default 1e-6). */
      gap_tolerance: z.number().nonnegative().max(1).optional(),
      solver: z.string(),
    })
    .optional(),
  calls: z.array(PlannedCall).min(1),
});
export type Plan = z.infer<typeof Plan>;
