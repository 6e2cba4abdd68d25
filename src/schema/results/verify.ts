import { z } from 'zod';
import { resultSchema } from './result.ts';

export const VerifyResult = resultSchema('verify-result', {
  ok: z.boolean(),
  violations: z.array(z.string()),
  objective: z.string(),
  quantile: z.number(),
  /** Recomputed from the plan; null when the plan could not be scored. */
  objective_value: z.number().nullable(),
  reported_objective: z.number().nullable(),
  required_scale: z.number().nullable(),
  makespan_s: z.number().nullable(),
  mean_scale: z.number().nullable(),
  weighted_tardiness_s: z.number().nullable(),
  tolerance: z.strictObject({ absolute_s: z.number(), relative: z.number() }),
  workflows: z
    .array(z.strictObject({ workflow: z.string(), finish_s: z.number(), scale: z.number() }))
    .nullable(),
});
