import { z } from 'zod';

export const PROFILES_SCHEMA = 'hexplan/profiles@1';

/**
 * One (GPU, LLM, TP) performance profile, the inputs of docs/concepts.md's formulas:
 * prefill_ms(T) = p0 + p1·T + p2·T², decode_step_ms(B, C) = d0 + d1·B + d2·C.
 */
export const Profile = z.strictObject({
  gpu: z.string().min(1),
  model: z.string().min(1),
  tp: z.number().int().positive(),
  prefill: z.strictObject({
    p0_ms: z.number().nonnegative(),
    p1_ms_per_token: z.number().nonnegative(),
    p2_ms_per_token2: z.number().nonnegative(),
  }),
  decode: z.strictObject({
    d0_ms: z.number().nonnegative(),
    d1_ms_per_seq: z.number().nonnegative(),
    d2_ms_per_token: z.number().nonnegative(),
  }),
  kv_bytes_per_token: z.number().positive(),
  weight_bytes: z.number().positive(),
  /** Usable memory of the whole instance (all TP GPUs), bytes. */
  memory_bytes: z.number().positive(),
  /** Bytes kept for workspaces and activations before any KV cache (0 when absent). */
  reserve_bytes: z.number().nonnegative().optional(),
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
