import { z } from 'zod';

/** One call's life in a simulation (DESIGN.md "Output per call"); times in seconds. */
export const CallRecord = z.strictObject({
  workflow: z.string(),
  call: z.string(),
  ready_s: z.number(),
  prefill_instance: z.string(),
  prefill_start_s: z.number(),
  prefill_end_s: z.number(),
  transfer_end_s: z.number(),
  decode_instance: z.string(),
  decode_start_s: z.number(),
  decode_end_s: z.number(),
});
export type CallRecord = z.infer<typeof CallRecord>;

export const WorkflowResult = z.strictObject({
  workflow: z.string(),
  arrival_s: z.number(),
  finish_s: z.number(),
  standalone_s: z.number(),
  /** (finish − arrival) / standalone. */
  scale: z.number(),
});
export type WorkflowResult = z.infer<typeof WorkflowResult>;
