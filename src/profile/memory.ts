import type { Llm } from '../schema/catalog.ts';
import type { Profile } from '../schema/profile.ts';

/**
 * Memory a GPU's serving engine keeps for itself before any KV cache: the CUDA context and the
 * cuBLAS and NCCL workspaces (about 1 GiB per GPU in vLLM's start-up profiling, ASSUMPTION), plus
 * the activations of one prefill chunk.
 */
export const WORKSPACE_BYTES_PER_GPU = 2 ** 30;
/** Tokens of the largest prefill batch whose activations are reserved (vLLM's chunked-prefill budget). */
export const RESERVED_PREFILL_TOKENS = 8192;
/**
 * Live activation elements per token and hidden unit at the peak of a layer's forward pass on
 * each GPU: the residual stream and its norm, Q/K/V, the attention output and the MLP's gate and
 * up projections (ASSUMPTION, a round figure; it is small next to weights and KV).
 */
export const ACTIVATION_ELEMENTS_PER_HIDDEN = 8;

/** Bytes an instance of tp GPUs reserves for workspaces and activations. */
export function reserveBytes(llm: Llm, tp: number): number {
  const activations =
    RESERVED_PREFILL_TOKENS * ACTIVATION_ELEMENTS_PER_HIDDEN * llm.hidden_size * llm.bytes_per_element;
  return tp * (WORKSPACE_BYTES_PER_GPU + activations);
}

/**
 * KV tokens an instance holds: the memory its GPUs let the engine use (mem_util of their usable
 * bytes, as vLLM's gpu_memory_utilization), less the weights (each GPU holds a 1/tp shard, so the
 * instance holds one copy) and the reserve. Zero or less: the model does not fit.
 */
export function kvCapacityTokens(profile: Profile, memUtil: number): number {
  const free = profile.memory_bytes * memUtil - profile.weight_bytes - (profile.reserve_bytes ?? 0);
  return Math.floor(free / profile.kv_bytes_per_token);
}

/**
 * KV tokens when the engine gives the KV cache a share of the memory left after the weights and
 * reserve (TensorRT-LLM's kv_cache_free_gpu_mem_fraction), not of the whole memory (vLLM's
 * gpu_memory_utilization, kvCapacityTokens).
 */
export function kvCapacityTokensOfFree(profile: Profile, freeFraction: number): number {
  const free = profile.memory_bytes - profile.weight_bytes - (profile.reserve_bytes ?? 0);
  return Math.floor((Math.max(0, free) * freeFraction) / profile.kv_bytes_per_token);
}

/** The most sequences a decode batch may hold whatever the memory (vLLM's default max_num_seqs). */
export const MAX_DECODE_BATCH = 256;
/** Context per sequence assumed when the workload is not known (cost models built before one exists). */
export const DEFAULT_DECODE_CONTEXT_TOKENS = 4096;

/**
 * How many sequences an instance decodes at once: as many as its KV capacity holds at the
 * workload's mean context per sequence (input + output tokens, which a decode holds at its end),
 * at most the engine's cap (`maxBatch`, else MAX_DECODE_BATCH) and at least one. With a TPOT cap, no more than the batch whose step
 * time stays within it.
 */
export function decodeBatchLimit(
  kvCapacity: number,
  contextTokensPerSeq: number,
  options: { stepMs?: (batch: number) => number; maxTpotMs?: number; maxBatch?: number } = {},
): number {
  const cap = options.maxBatch ?? MAX_DECODE_BATCH;
  let limit = Math.max(1, Math.min(cap, Math.floor(kvCapacity / Math.max(1, contextTokensPerSeq))));
  const { stepMs, maxTpotMs } = options;
  if (stepMs && maxTpotMs !== undefined) while (limit > 1 && stepMs(limit) > maxTpotMs) limit--;
  return limit;
}
