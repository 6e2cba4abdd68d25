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
  return Math.round(llm.params_b * 1e9 * llm.bytes_per_element);
}

/**
 * A prefill batch of several prompts: p0 once, p1 per token, and attention (p2) per prompt, since
 * a prompt attends to its own tokens only: p0 + p1·Σ Tᵢ + p2·Σ Tᵢ².
 */
export function batchedPrefillMs(profile: Profile, sumTokens: number, sumSquareTokens: number): number {
  const p = profile.prefill;
  return p.p0_ms + p.p1_ms_per_token * sumTokens + p.p2_ms_per_token2 * sumSquareTokens;
}
