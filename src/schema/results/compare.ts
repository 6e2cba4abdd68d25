import { z } from 'zod';
import { SimMode } from '../simMode.ts';
import { resultSchema } from './result.ts';
import { AttainmentPoint } from './simulate.ts';

export const ComparePolicy = z.strictObject({
  name: z.string(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number(),
  max: z.number(),
  makespan_s: z.number(),
  attainment: z.array(AttainmentPoint),
  calls: z.number().int().nonnegative(),
  workflows: z.number().int().nonnegative(),
});

export const CompareResult = resultSchema('compare-result', {
  workload: z.string(),
  cluster: z.string(),
  mode: SimMode,
  policies: z.array(ComparePolicy),
  /** Null when hexagent is not among the compared policies. */
  hexagent_reduction: z
    .strictObject({
      versus: z.array(z.strictObject({ baseline: z.string(), p95: z.number(), p99: z.number() })),
      average_p95: z.number(),
      average_p99: z.number(),
      set_aside: z.array(z.string()),
    })
    .nullable(),
});
