import type { Llm } from '../schema/catalog.ts';
import type { Profile } from '../schema/profile.ts';

/** docs/concepts.md: prefill_ms(T) = p0 + p1·T + p2·T², T = tokens in the prefill batch. */
export function prefillMs(profile: Profile, tokens: number): number {
  const p = profile.prefill;
  return p.p0_ms + p.p1_ms_per_token * tokens + p.p2_ms_per_token2 * tokens * tokens;
}

/** docs/concepts.md: decode_step_ms(B, C) = d0 + d1·B + d2·C, B sequences with C context tokens in all. */
export function decodeStepMs(profile: Profile, batch: number, contextTokens: number): number {
  const d = profile.decode;
  return d.d0_ms + d.d1_ms_per_seq * batch + d.d2_ms_per_token * contextTokens;
}

/** docs/concepts.md: kv_bytes_per_token = 2 · layers · kv_heads · head_dim · bytes_per_element (K and V). */
export function kvBytesPerToken(llm: Llm): number {
  return 2 * llm.layers * llm.kv_heads * llm.head_dim * llm.bytes_per_element;
}

export function weightBytes(llm: Llm): number {
  return llm.params_b * 1e9 * llm.bytes_per_element;
}

/**
 * docs/concepts.md: KV tokens an instance holds, from the memory its TP GPUs have left after weights.
 * Negative or zero means the model does not fit (callers report that).
 */
export function kvCapacityTokens(profile: Profile, memUtil: number): number {
  return Math.floor((profile.memory_bytes * memUtil - profile.weight_bytes) / profile.kv_bytes_per_token);
}
