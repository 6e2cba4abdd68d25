import { z } from 'zod';
import { Profile } from '../profile.ts';
import { resultSchema } from './result.ts';

/** `profile`: a built-in profile resolved for one (GPU, LLM, TP), with the memory model's limits. */
export const ProfileResult = resultSchema('profile-result', {
  gpu: z.string(),
  model: z.string(),
  tp: z.number().int().positive(),
  profile: z.strictObject({
    prefill: Profile.shape.prefill,
    decode: Profile.shape.decode,
    kv_bytes_per_token: z.number(),
    weight_bytes: z.number(),
    memory_bytes: z.number(),
    reserve_bytes: z.number(),
    mem_util: z.number(),
    kv_capacity_tokens: z.number(),
    context_tokens_per_seq: z.number(),
    decode_batch_limit: z.number(),
    price_per_hour: z.number(),
    power_w: z.number(),
    provenance: Profile.shape.provenance,
  }),
  predictions: z.strictObject({
    prefill: z.array(z.strictObject({ tokens: z.number(), ms: z.number() })),
    decode: z.array(z.strictObject({ batch: z.number(), context_tokens: z.number(), ms: z.number() })),
  }),
});

/** How well a fitted phase matches its measurements (src/profile/fit.ts FitQuality). */
export const FitQuality = z.strictObject({
  points: z.number().int().positive(),
  rmse_ms: z.number(),
  max_rel_error: z.number(),
});

export const FitProfileResult = resultSchema('fit-profile-result', {
  output: z.string(),
  profile: Profile,
  prefill_fit: FitQuality,
  decode_fit: FitQuality,
});
