import { HexplanError } from '../errors.ts';
import { builtinProfile } from './builtin.ts';
import { type Catalog, loadCatalog, requireGpu, requireLlm } from './catalog.ts';
import { decodeStepMs, prefillMs } from './formulas.ts';
import { DEFAULT_DECODE_CONTEXT_TOKENS, decodeBatchLimit, kvCapacityTokens } from './memory.ts';

export interface ProfileQuery {
  gpu: string;
  model: string;
  tp: number;
  /** Prompt lengths to predict one prefill of. */
  prefillTokens?: number[];
  /** (batch, context tokens of the whole batch) pairs to predict one decode step of. */
  decode?: Array<{ batch: number; contextTokens: number }>;
  /** Fraction of GPU memory the engine may use (a cluster's mem_util). */
  memUtil?: number;
  /** Context per sequence the decode batch limit is derived for. */
  contextTokensPerSeq?: number;
  catalog?: Catalog;
}

const positiveInt = (x: number) => Number.isInteger(x) && x > 0;

/** The resolved built-in profile of (gpu, model, tp) and its predictions: `hexplan profile`. */
export function profileReport(q: ProfileQuery) {
  const catalog = q.catalog ?? loadCatalog();
  if (!positiveInt(q.tp)) throw new HexplanError(`tp: must be a positive integer, got ${q.tp}`);
  const memUtil = q.memUtil ?? 0.9;
  if (!(memUtil > 0 && memUtil <= 1)) throw new HexplanError(`memUtil: must be in (0, 1], got ${memUtil}`);
  const context = q.contextTokensPerSeq ?? DEFAULT_DECODE_CONTEXT_TOKENS;
  if (!(context > 0)) throw new HexplanError(`contextTokensPerSeq: must be > 0, got ${context}`);
  (q.prefillTokens ?? []).forEach((t, i) => {
    if (!positiveInt(t)) throw new HexplanError(`prefill[${i}]: tokens must be a positive integer, got ${t}`);
  });
  (q.decode ?? []).forEach((d, i) => {
    if (!positiveInt(d.batch))
      throw new HexplanError(`decode[${i}].batch: must be a positive integer, got ${d.batch}`);
    if (!(d.contextTokens >= 0))
      throw new HexplanError(`decode[${i}].context_tokens: must be >= 0, got ${d.contextTokens}`);
  });
  const gpu = requireGpu(catalog, q.gpu, 'gpu');
  const llm = requireLlm(catalog, q.model, 'model');
  const p = builtinProfile(catalog, gpu, llm, q.tp, 'profile');
  const kvCapacity = kvCapacityTokens(p, memUtil);
  if (kvCapacity <= 0) {
    throw new HexplanError(
      `model: ${llm.name} (${(p.weight_bytes / 1e9).toFixed(1)} GB of weights) does not fit ${q.tp}× ${gpu.name} at memUtil ${memUtil}`,
    );
  }
  return {
    gpu: gpu.name,
    model: llm.name,
    tp: q.tp,
    profile: {
      prefill: p.prefill,
      decode: p.decode,
      kv_bytes_per_token: p.kv_bytes_per_token,
      weight_bytes: p.weight_bytes,
      memory_bytes: p.memory_bytes,
      reserve_bytes: p.reserve_bytes ?? 0,
      mem_util: memUtil,
      kv_capacity_tokens: kvCapacity,
      context_tokens_per_seq: context,
      decode_batch_limit: decodeBatchLimit(kvCapacity, context),
      price_per_hour: p.price_per_hour,
      power_w: p.power_w,
      provenance: p.provenance,
    },
    predictions: {
      prefill: (q.prefillTokens ?? []).map((tokens) => ({ tokens, ms: prefillMs(p, tokens) })),
      decode: (q.decode ?? []).map((d) => ({
        batch: d.batch,
        context_tokens: d.contextTokens,
        ms: decodeStepMs(p, d.batch, d.contextTokens),
      })),
    },
  };
}
