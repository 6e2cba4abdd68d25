import { HexplanError } from '../errors.ts';
import type { Gpu } from '../schema/catalog.ts';
import type { MeasuredPoint } from '../schema/measurements.ts';
import { nonnegativeLeastSquares } from './leastSquares.ts';

/** The profile coefficients the tensor-parallel model fits (d2 follows from d0, see below). */
export const TERMS = ['p0', 'p1', 'p2', 'd0', 'd1'] as const;
export type Term = (typeof TERMS)[number];
export type TermValues = Record<Term, number>;

/**
 * How one LLM's step times depend on the GPU and the tensor-parallel degree tp. Every profile
 * coefficient c (prefill p0 + p1·T + p2·T², decode d0 + d1·B + d2·C) is
 *
 *   c(gpu, tp) = a[gpu]/tp + κ · (tp − 1) / nvlink[gpu]
 *
 * - a[gpu]/tp is the work that tensor parallelism splits: weight and KV reads, matmul FLOPs,
 *   at the efficiency the GPU reaches (a[gpu] is the coefficient one GPU would have);
 * - κ·(tp − 1)/nvlink is the all-reduce: a ring all-reduce over tp GPUs takes 2(tp − 1) steps,
 *   each paying a fixed cost and moving its share over NVLink, twice per layer; κ is shared by
 *   every GPU, which is what lets a TP degree measured on one GPU inform another.
 * - d2 (per context token) is not separable from d1 in the Splitwise data, whose context grows
 *   with the batch; it is taken as the KV read at the rate the weights are read:
 *   d2 = (a[gpu].d0 / tp) · kv_bytes_per_token / weight_bytes.
 */
export interface TpModel {
  model: string;
  kvBytesPerToken: number;
  weightBytes: number;
  gpus: Map<string, { a: TermValues; basis: string }>;
  kappa: TermValues;
  /** Points the fit saw. */
  points: number;
}

export interface GpuSpeeds {
  hbmGbytesPerS: number;
  tflops: number;
  nvlinkGbytesPerS: number;
}

export const gpuSpeeds = (g: Gpu): GpuSpeeds => ({
  hbmGbytesPerS: g.hbm_gbytes_per_s,
  tflops: g.bf16_dense_tflops,
  nvlinkGbytesPerS: g.nvlink_gbytes_per_s,
});

/**
 * Why a measured point stays out of the fit, or null if it enters it. Batched prefills are
 * predicted (through Σ Tᵢ²), not fitted: the profile is one prompt's. Batch-64 rows are
 * non-monotonic in the source (its README warns; on TP2 a 64-prompt prefill took less time than
 * 32 prompts, and a 64-sequence decode step less than a 32-sequence one).
 */
export function heldOutReason(p: MeasuredPoint): string | null {
  if (p.batch === 64) return 'outlier: batch-64 rows are non-monotonic in the source';
  if (p.kind === 'prefill' && p.batch > 1) return 'batched prefill: predicted, not fitted';
  return null;
}
export const isFitPoint = (p: MeasuredPoint) => heldOutReason(p) === null;

/**
 * Fits a and κ to measured points of one LLM by nonnegative least squares on relative errors
 * (each row divided by its measured time, so a 50 ms step weighs as much as a 3 s prefill).
 */
export function fitTpModel(
  points: MeasuredPoint[],
  speeds: Map<string, GpuSpeeds>,
  llm: { name: string; kvBytesPerToken: number; weightBytes: number },
  source: string,
): TpModel {
  const gpus = [...new Set(points.map((p) => p.gpu))].sort();
  const g = new Map(gpus.map((name, i) => [name, i]));
  const nv = (name: string) => {
    const s = speeds.get(name);
    if (!s) throw new HexplanError(`${source}: GPU "${name}" is not in the GPU catalog`);
    return s.nvlinkGbytesPerS;
  };
  const kvPerWeight = llm.kvBytesPerToken / llm.weightBytes;
  const fitPart = (kind: 'prefill' | 'decode', terms: readonly Term[]) => {
    const rows: number[][] = [];
    const y: number[] = [];
    for (const p of points) {
      if (p.kind !== kind || !isFitPoint(p)) continue;
      const x =
        p.kind === 'prefill'
          ? [1, p.tokens, p.tokens * p.tokens]
          : [1 + kvPerWeight * p.context_tokens, p.batch];
      const row = new Array<number>((gpus.length + 1) * terms.length).fill(0);
      const gi = g.get(p.gpu)!;
      terms.forEach((_, k) => {
        row[gi * terms.length + k] = x[k]! / p.tp / p.ms;
        // The all-reduce does not read KV: its d0 column is 1, not 1 + kv·C/W.
        const comm = p.kind === 'decode' && k === 0 ? 1 : x[k]!;
        row[gpus.length * terms.length + k] = (comm * (p.tp - 1)) / nv(p.gpu) / p.ms;
      });
      rows.push(row);
      y.push(1);
    }
    if (rows.length === 0) throw new HexplanError(`${source}: no ${kind} points to fit`);
    return nonnegativeLeastSquares(rows, y);
  };
  const pre = fitPart('prefill', ['p0', 'p1', 'p2']);
  const dec = fitPart('decode', ['d0', 'd1']);
  const take = (x: number[], i: number, terms: readonly Term[]) =>
    Object.fromEntries(terms.map((t, k) => [t, x[i * terms.length + k]!]));
  const values = (i: number) =>
    ({ ...take(pre, i, ['p0', 'p1', 'p2']), ...take(dec, i, ['d0', 'd1']) }) as TermValues;
  return {
    model: llm.name,
    kvBytesPerToken: llm.kvBytesPerToken,
    weightBytes: llm.weightBytes,
    gpus: new Map(gpus.map((name, i) => [name, { a: values(i), basis: `fitted to ${source}` }])),
    kappa: values(gpus.length),
    points: points.filter(isFitPoint).length,
  };
}

/**
 * The a-coefficients of a GPU with no measurement, from a measured one and the two datasheets:
 * memory-bound terms (p0: one weight read; d0: weights and KV) scale with HBM bandwidth,
 * compute-bound ones (p1, p2: prefill FLOPs; d1: per-sequence work) with dense BF16 FLOP/s.
 * It assumes the same efficiency on both, which holds best for GPUs of one architecture
 * (H200 from H100: same Hopper compute, faster and bigger HBM3e).
 */
export function transferGpu(a: TermValues, from: GpuSpeeds, to: GpuSpeeds): TermValues {
  const mem = from.hbmGbytesPerS / to.hbmGbytesPerS;
  const flops = from.tflops / to.tflops;
  return { p0: a.p0 * mem, p1: a.p1 * flops, p2: a.p2 * flops, d0: a.d0 * mem, d1: a.d1 * flops };
}

/** How each coefficient of the fitted LLM scales to another: the roofline ratio of its work. */
export interface ModelScale {
  /** Weight bytes: the split part of p0 and d0. */
  weights: number;
  /** Parameters (FLOPs per token): the split part of p1 and d1. */
  params: number;
  /** layers · hidden (attention FLOPs per token pair; bytes all-reduced per token): p2, comm of p1, d1. */
  layersHidden: number;
  /** Layers (all-reduces per forward pass): comm of p0 and d0. */
  layers: number;
  /** KV bytes per token relative to weight bytes, for d2. */
  kvPerWeight: number;
}

export interface Coefficients extends TermValues {
  d2: number;
}

/** Profile coefficients of the scaled LLM on a GPU with split work `a` at degree tp. */
export function coefficientsAt(
  a: TermValues,
  kappa: TermValues,
  nvlinkGbytesPerS: number,
  tp: number,
  s: ModelScale,
): Coefficients {
  const comm = (tp - 1) / nvlinkGbytesPerS;
  const d0Split = (a.d0 * s.weights) / tp;
  return {
    p0: (a.p0 * s.weights) / tp + kappa.p0 * s.layers * comm,
    p1: (a.p1 * s.params) / tp + kappa.p1 * s.layersHidden * comm,
    p2: (a.p2 * s.layersHidden) / tp + kappa.p2 * s.layersHidden * comm,
    d0: d0Split + kappa.d0 * s.layers * comm,
    d1: (a.d1 * s.params) / tp + kappa.d1 * s.layersHidden * comm,
    d2: d0Split * s.kvPerWeight,
  };
}
