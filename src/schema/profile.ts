import { z } from 'zod';
import { aboveLimit, LIMITS } from './limits.ts';

export const PROFILES_SCHEMA = 'hexplan/profiles@1';

/**
 * Coefficient limits are about 1000× the slowest published GPU's, low enough that a call of
 * LIMITS.maxTokens tokens still has a finite duration (src/schema/limits.ts).
 *
 * One (GPU, LLM, TP) performance profile, the inputs of docs/concepts.md's formulas:
 * prefill_ms(T) = p0 + p1·T + p2·T², decode_step_ms(B, C) = d0 + d1·B + d2·C.
 */
export const Profile = z.strictObject({
  gpu: z.string().min(1),
  model: z.string().min(1),
  tp: z.number().int().positive().max(LIMITS.maxTp, aboveLimit(LIMITS.maxTp)),
  prefill: z.strictObject({
    p0_ms: z.number().nonnegative().max(1e4, aboveLimit(1e4)),
    p1_ms_per_token: z.number().nonnegative().max(10, aboveLimit(10)),
    p2_ms_per_token2: z.number().nonnegative().max(1e-2, aboveLimit(1e-2)),
  }),
  decode: z.strictObject({
    d0_ms: z.number().nonnegative().max(1e4, aboveLimit(1e4)),
    d1_ms_per_seq: z.number().nonnegative().max(1e3, aboveLimit(1e3)),
    d2_ms_per_token: z.number().nonnegative().max(1, aboveLimit(1)),
  }),
  kv_bytes_per_token: z.number().positive().max(1e8, aboveLimit(1e8)),
  weight_bytes: z.number().positive().max(1e15, aboveLimit(1e15)),
  /** Usable memory of the whole instance (all TP GPUs), bytes. */
  memory_bytes: z.number().positive().max(1e16, aboveLimit(1e16)),
  /** Bytes kept for workspaces and activations before any KV cache (0 when absent). */
  reserve_bytes: z.number().nonnegative().max(1e16, aboveLimit(1e16)).optional(),
  price_per_hour: z.number().nonnegative(),
  power_w: z.number().nonnegative(),
  provenance: z.strictObject({
    method: z.enum(['roofline', 'fitted', 'measured']),
    source: z.string(),
    fit_rmse_ms: z.number().nonnegative().optional(),
    notes: z.string().optional(),
    /** Where each coefficient comes from (fitted, transferred from another GPU, scaled from another LLM). */
    coefficients: z.record(z.string(), z.string()).optional(),
  }),
});
export type Profile = z.infer<typeof Profile>;

export const Profiles = z.strictObject({
  schema: z.literal(PROFILES_SCHEMA),
  profiles: z.array(Profile).min(1),
});
export type Profiles = z.infer<typeof Profiles>;
