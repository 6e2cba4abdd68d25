import { z } from 'zod';
import { resultSchema } from './result.ts';

export const GenResult = resultSchema('gen-result', {
  output: z.string(),
  workflows: z.number().int().positive(),
  calls: z.number().int().positive(),
  rate_per_s: z.number().nullable(),
  /** Offered load of the cluster's bottleneck stage; null without --cluster. */
  load: z.number().nullable(),
  capacity: z
    .strictObject({
      bottleneck: z.string(),
      prefill_calls_per_s: z.number(),
      decode_calls_per_s: z.number(),
      calls_per_workflow: z.number(),
      formula: z.string(),
    })
    .nullable(),
});
