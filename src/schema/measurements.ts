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

export const GPU_RATIOS_SCHEMA = 'hexplan/gpu-ratios@1';

/**
 * Published throughputs of one model on two GPUs under the same engine, precision and lengths:
 * what `hexplan calibration` compares the profiles' GPU ratio with.
 */
export const PublishedThroughput = z.strictObject({
  /** Input and output tokens per request (every request alike). */
  input_tokens: z.number().int().positive(),
  output_tokens: z.number().int().positive(),
  /** Output tokens per second of the whole instance, by GPU name. */
  output_tokens_per_s: z.record(z.string().min(1), z.number().positive()),
});

export const GpuRatios = z
  .strictObject({
    schema: z.literal(GPU_RATIOS_SCHEMA),
    source: z.string().min(1),
    license: z.string().min(1),
    attribution: z.string().min(1),
    method: z.string().min(1),
    model: z.string().min(1),
    /** The published figures' precision (the profiles are BF16). */
    precision: z.string().min(1),
    tp: z.number().int().positive(),
    /** The ratio compared: numerator / denominator GPU. */
    numerator: z.string().min(1),
    denominator: z.string().min(1),
    points: z.array(PublishedThroughput).min(1),
  })
  .superRefine((doc, ctx) => {
    doc.points.forEach((p, i) => {
      for (const gpu of [doc.numerator, doc.denominator]) {
        if (!(gpu in p.output_tokens_per_s))
          ctx.addIssue({
            code: 'custom',
            path: ['points', i, 'output_tokens_per_s', gpu],
            message: `missing ${gpu}`,
          });
      }
    });
  });
export type GpuRatios = z.infer<typeof GpuRatios>;
