import { z } from 'zod';

export const MEASUREMENTS_SCHEMA = 'hexplan/measurements@1';

/**
 * One measured timing, as published: prefill of `batch` prompts of `tokens` each, one decode step,
 * or a whole generation (`ms` from the request's start to its last token).
 */
const measuredOn = {
  gpu: z.string().min(1),
  model: z.string().min(1),
  tp: z.number().int().positive(),
  ms: z.number().positive(),
  /** Repetitions the median was taken over. */
  repetitions: z.number().int().positive(),
};

export const MeasuredPoint = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('prefill'),
    ...measuredOn,
    /** Tokens of each prompt. */
    tokens: z.number().int().positive(),
    /** Prompts prefilled together. */
    batch: z.number().int().positive(),
  }),
  z.strictObject({
    kind: z.literal('decode'),
    ...measuredOn,
    batch: z.number().int().positive(),
    /** Context tokens of the whole batch during the step (mean over the measured generation). */
    context_tokens: z.number().nonnegative(),
  }),
  z.strictObject({
    /** A whole request as published benchmarks time it: prefill of the input, then every output step. */
    kind: z.literal('generation'),
    ...measuredOn,
    batch: z.number().int().positive(),
    input_tokens: z.number().int().positive(),
    output_tokens: z.number().int().positive(),
  }),
]);
export type MeasuredPoint = z.infer<typeof MeasuredPoint>;

export const Measurements = z.strictObject({
  schema: z.literal(MEASUREMENTS_SCHEMA),
  source: z.string().min(1),
  license: z.string().min(1),
  attribution: z.string().min(1),
  method: z.string().min(1),
  points: z.array(MeasuredPoint).min(1),
});
export type Measurements = z.infer<typeof Measurements>;
