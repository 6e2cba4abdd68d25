import { z } from 'zod';
import { ServingConfig } from '../measurements.ts';
import { resultSchema } from './result.ts';

const Phase = z.enum(['prefill', 'decode']);
/** One value per term of the TP model (src/profile/tpModel.ts TERMS). */
const TermValues = z.strictObject({
  p0: z.number(),
  p1: z.number(),
  p2: z.number(),
  d0: z.number(),
  d1: z.number(),
});
const byPhase = <T extends z.ZodType>(value: T) => z.strictObject({ prefill: value, decode: value });

/** One published timing point against the built-in profiles' prediction. */
export const CalibrationPoint = z.strictObject({
  gpu: z.string(),
  model: z.string(),
  tp: z.number().int().positive(),
  kind: z.enum(['prefill', 'decode', 'generation']),
  batch: z.number().int().positive(),
  /** Prompt tokens (prefill), context tokens of the batch (decode) or input tokens (generation). */
  tokens: z.number(),
  /** Output tokens of a generation; null for prefill and decode. */
  output_tokens: z.number().nullable(),
  source: z.string(),
  measured_ms: z.number(),
  predicted_ms: z.number(),
  /** predicted / measured − 1. */
  rel_error: z.number(),
  use: z.enum(['fitted', 'held out']),
  reason: z.string().nullable(),
});
export type CalibrationPoint = z.output<typeof CalibrationPoint>;

/** Error of the refit's predictions on what was held out of it. */
export const HeldOutError = z.strictObject({
  held: z.string(),
  kind: Phase,
  points: z.number().int().nonnegative(),
  mean_abs_error: z.number(),
  /** The signed error of largest magnitude. */
  worst_error: z.number(),
});
export type HeldOutError = z.output<typeof HeldOutError>;

export const RatioCheck = z.strictObject({
  model: z.string(),
  precision: z.string(),
  tp: z.number().int().positive(),
  numerator: z.string(),
  denominator: z.string(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  published_ratio: z.number(),
  predicted_ratio: z.number(),
  /** predicted / published − 1. */
  rel_error: z.number(),
  /** Decode batches the profiles give each GPU (numerator, denominator). */
  batches: z.tuple([z.number(), z.number()]),
  serving: ServingConfig,
  source: z.string(),
});
export type RatioCheck = z.output<typeof RatioCheck>;

export const RatioSensitivityRow = z.strictObject({
  what: z.string(),
  within: z.number().int().nonnegative(),
  points: z.number().int().nonnegative(),
  mean_abs_error: z.number(),
  min_error: z.number(),
  max_error: z.number(),
});
export type RatioSensitivityRow = z.output<typeof RatioSensitivityRow>;

/** Everything `hexplan calibration` prints, as data (src/profile/calibrationReport.ts). */
export const CalibrationReport = z.strictObject({
  source: z.string(),
  license: z.string(),
  model: z.string(),
  coefficients: z.strictObject({
    /** Per-GPU work terms, by GPU name. */
    split_work: z.record(z.string(), TermValues),
    all_reduce_kappa: TermValues,
    terms: z.array(z.string()),
  }),
  points: z.array(CalibrationPoint),
  published_checks: z.array(CalibrationPoint),
  ratio_checks: z.array(RatioCheck),
  ratio_sensitivity: z.array(RatioSensitivityRow),
  ratio_target: z.number(),
  fitted: z.strictObject({
    points: z.number().int().nonnegative(),
    max_abs_error: byPhase(z.number()),
    tolerance: byPhase(z.number()),
  }),
  within_tolerance: z.boolean(),
  leave_one_tp_out: z.array(HeldOutError),
  leave_one_gpu_out: z.array(HeldOutError),
  target: z.strictObject({ mean_abs_error: z.number(), worst_abs_error: z.number() }),
  leave_one_tp_out_meets_target: byPhase(z.boolean()),
});
export type CalibrationReport = z.output<typeof CalibrationReport>;

export const CalibrationResult = resultSchema('calibration-result', CalibrationReport.shape);
