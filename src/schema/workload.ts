import { z } from 'zod';
import { aboveLimit, LIMITS } from './limits.ts';

export const WORKLOAD_SCHEMA = 'hexplan/workload@1';

export const Call = z.strictObject({
  id: z.string().min(1),
  input_tokens: z.number().int().positive().max(LIMITS.maxTokens, aboveLimit(LIMITS.maxTokens)),
  output_tokens: z.number().int().positive().max(LIMITS.maxTokens, aboveLimit(LIMITS.maxTokens)),
  deps: z.array(z.string().min(1)).default([]),
  /** Delay after the last dependency finishes (or after arrival for a root) before the call is ready. */
  tool_s: z.number().nonnegative().max(LIMITS.maxTimeS, aboveLimit(LIMITS.maxTimeS)).default(0),
  /** Role of the call inside its workflow family (e.g. `plan`, `map`, `reduce`); informational. */
  stage: z.string().optional(),
  /** Tokens of the prompt shared with earlier calls (prefix-cache hint from traces); informational. */
  shared_prefix_tokens: z
    .number()
    .int()
    .nonnegative()
    .max(LIMITS.maxTokens, aboveLimit(LIMITS.maxTokens))
    .optional(),
});
export type Call = z.infer<typeof Call>;

export const Workflow = z.strictObject({
  id: z.string().min(1),
  arrival_s: z.number().nonnegative().max(LIMITS.maxTimeS, aboveLimit(LIMITS.maxTimeS)),
  model: z.string().min(1),
  deadline_s: z.number().positive().max(LIMITS.maxTimeS, aboveLimit(LIMITS.maxTimeS)).optional(),
  /** Generator family or trace source, used to derive workload classes. */
  family: z.string().optional(),
  calls: z.array(Call).min(1, 'a workflow needs at least one call'),
});
export type Workflow = z.infer<typeof Workflow>;

export const Workload = z.strictObject({
  schema: z.literal(WORKLOAD_SCHEMA),
  name: z.string().optional(),
  /** Free-form provenance: generator, seed, offered load, source trace and its attribution. */
  meta: z.record(z.string(), z.unknown()).optional(),
  workflows: z.array(Workflow).min(1, 'a workload needs at least one workflow'),
});
export type Workload = z.infer<typeof Workload>;
