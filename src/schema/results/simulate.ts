import { z } from 'zod';
import { SimMode } from '../simMode.ts';
import { resultSchema } from './result.ts';

/** One point of an attainment curve: the share of workflows within `scale` × their standalone time. */
export const AttainmentPoint = z.strictObject({ scale: z.number(), attainment: z.number() });

export const InstanceMetrics = z.strictObject({
  id: z.string(),
  gpu: z.string(),
  role: z.string(),
  prefill_utilization: z.number(),
  decode_slot_utilization: z.number(),
  decode_busy_fraction: z.number(),
  kv_occupancy_mean: z.number(),
  kv_occupancy_peak: z.number(),
});

/** What every simulation reports, in `simulate --json` and in each sweep line: size and required scales. */
export const scaleSummary = {
  workflows: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  mean: z.number(),
};

export const SimMetrics = z.strictObject({
  ...scaleSummary,
  median: z.number(),
  max: z.number(),
  makespan_s: z.number(),
  goodput_scale: z.number(),
  goodput_workflows_per_s: z.number(),
  attainment_at_goodput_scale: z.number(),
  instances: z.array(InstanceMetrics),
});

export const SimulateResult = resultSchema('simulate-result', {
  policy: z.string(),
  mode: SimMode,
  workload: z.string(),
  cluster: z.string(),
  metrics: SimMetrics,
  attainment: z.array(AttainmentPoint),
  /** Files `--trace` wrote (none without it). */
  trace: z.array(z.string()),
});
