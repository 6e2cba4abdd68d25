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

/**
 * How the published runs served the model, so the profiles are evaluated at the same
 * configuration (precision, memory and batch limits), not at the catalog's BF16.
 */
export const ServingConfig = z.strictObject({
  /** Bytes per weight as loaded (1 for an FP8 checkpoint). */
  weight_bytes_per_param: z.number().positive(),
  /** Bytes per cached K or V element. */
  kv_bytes_per_element: z.number().positive(),
  /** Dense tensor-core TFLOP/s of the linear layers at that precision, by GPU name. */
  matmul_dense_tflops: z.record(z.string().min(1), z.number().positive()),
  /** Share of the memory left after weights and workspace that the engine gives the KV cache. */
  kv_free_memory_fraction: z.number().positive().max(1),
  /** The engine's largest decode batch (a memory-derived batch is capped at it). */
  max_decode_batch: z.number().int().positive(),
  /** Where each figure above comes from, by field name. */
  provenance: z.record(z.string().min(1), z.string().min(1)),
});
export type ServingConfig = z.infer<typeof ServingConfig>;

export const GpuRatios = z
  .strictObject({
    schema: z.literal(GPU_RATIOS_SCHEMA),
    source: z.string().min(1),
    license: z.string().min(1),
    attribution: z.string().min(1),
    method: z.string().min(1),
    model: z.string().min(1),
    /** The published figures' precision (a label; `serving` says what it means in bytes and FLOP/s). */
    precision: z.string().min(1),
    tp: z.number().int().positive(),
    serving: ServingConfig,
    /** The ratio compared: numerator / denominator GPU. */
    numerator: z.string().min(1),
    denominator: z.string().min(1),
    points: z.array(PublishedThroughput).min(1),
  })
  .superRefine((doc, ctx) => {
    for (const gpu of [doc.numerator, doc.denominator]) {
      if (!(gpu in doc.serving.matmul_dense_tflops))
        ctx.addIssue({
          code: 'custom',
          path: ['serving', 'matmul_dense_tflops', gpu],
          message: `missing ${gpu}`,
        });
    }
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
