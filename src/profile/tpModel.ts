import { HexplanError } from '../errors.ts';
import type { Gpu } from '../schema/catalog.ts';
import type { MeasuredPoint } from '../schema/measurements.ts';
import { nonnegativeLeastSquares } from './leastSquares.ts';

/** The profile coefficients the tensor-parallel model fits (d2 follows from d0, see below). */
export const TERMS = ['p0', 'p1', 'p2', 'd0', 'd1'] as const;
export type Term = (typeof TERMS)[number];
export type TermValues = Record<Term, number>;

/**
 * How one coefficient depends on the tensor-parallel degree tp: a per-GPU part a[gpu]·own(tp)
 * and a part shared by every GPU, κ·comm(tp, nvlink), for the all-reduce. κ being shared is
 * what lets a TP degree measured on one GPU inform another.
 */
interface TermShape {
  own: (tp: number) => number;
  comm: (tp: number, nvlinkGbytesPerS: number) => number;
}

const split = (tp: number) => 1 / tp;
/** A ring all-reduce's bandwidth cost: each GPU sends and receives 2(tp − 1)/tp of the tensor. */
const ringBandwidth = (tp: number, nv: number) => (tp - 1) / tp / nv;

/**
 * prefill_ms(T) = p0 + p1·T + p2·T² and decode_step_ms(B, C) = d0 + d1·B + d2·C at (gpu, tp):
 *
 * - p0 = F[gpu] + α·(tp − 1): a fixed cost per forward pass that TP does not split (kernel
 *   launches, per-layer synchronisation; a prompt of 128 tokens takes as long at TP8 as at TP2),
 *   plus the all-reduce latency: a ring over tp GPUs takes 2(tp − 1) steps, each a fixed
 *   latency, twice per layer (α ≈ 1.8 ms fits 160 all-reduces × 2(tp − 1) steps of ≈ 6 µs).
 * - p1 = C[gpu]/tp + β·(tp − 1)/tp/NVLink: the matmul FLOPs TP splits, plus the ring
 *   all-reduce's bandwidth (each token's hidden state, 2(tp − 1)/tp of it per GPU over NVLink).
 * - p2 = A[gpu]/tp + γ·(tp − 1)/NVLink: attention FLOPs TP splits by heads, plus an empirical
 *   term: on both GPUs the TP8 prompts above 2048 tokens grow faster with T than TP2's
 *   (A100 TP8: 0.134 → 0.189 ms per token from 2048 to 8192 tokens; TP2: 0.336 → 0.365),
 *   which no split term can follow.
 * - d0 = a[gpu]/tp + κ·(tp − 1)/NVLink and d1 likewise: the weight (and KV) read and the
 *   per-sequence work TP splits, plus the all-reduce (its fixed steps and the moved share).
 * - d2 (per context token) is not separable from d1 in the Splitwise data, whose context grows
 *   with the batch; it is taken as the KV read at the rate the weights are read:
 *   d2 = (a[gpu].d0 / tp) · kv_bytes_per_token / weight_bytes.
 *
 * Nine prefill parameters (F, C, A per GPU; α, β, γ) for 27 batch-1 prompts, six decode ones for
 * 68 steps: few enough that leaving one (GPU, TP) cell out still identifies every parameter.
 */
export const TERM_SHAPES: Record<Term, TermShape> = {
  p0: { own: () => 1, comm: (tp) => tp - 1 },
  p1: { own: split, comm: ringBandwidth },
  p2: { own: split, comm: (tp, nv) => (tp - 1) / nv },
  d0: { own: split, comm: (tp, nv) => (tp - 1) / nv },
  d1: { own: split, comm: (tp, nv) => (tp - 1) / nv },
};

export interface TpModel {
  model: string;
  kvBytesPerToken: number;
  weightBytes: number;
  /** Per-GPU coefficients a (see TERM_SHAPES) and where they come from. */
  gpus: Map<string, { a: TermValues; basis: string }>;
  /** The shared all-reduce coefficients (α, β, γ for p0, p1, p2; κ for d0, d1). */
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
 * A batch-1 prompt that took longer than a longer prompt on the same (GPU, model, TP): more
 * work in less time is measurement noise, not cost (H100 TP8: 128 tokens 58.2 ms, 256 tokens
 * 51.7 ms, 512 tokens 53.9 ms).
 */
function slowerThanLonger(p: MeasuredPoint, all: readonly MeasuredPoint[]): MeasuredPoint | undefined {
  if (p.kind !== 'prefill' || p.batch !== 1) return undefined;
  return all.find(
    (q) =>
      q.kind === 'prefill' &&
      q.batch === 1 &&
      q.gpu === p.gpu &&
      q.model === p.model &&
      q.tp === p.tp &&
      q.tokens > p.tokens &&
      q.ms < p.ms,
  );
}

/**
 * Why a measured point stays out of the fit, or null if it enters it (`all`: the points it was
 * measured with). Batched prefills are predicted (through Σ Tᵢ²), not fitted: the profile is one
 * prompt's. Batch-64 rows are non-monotonic in the source (its README warns; on TP2 a 64-prompt
 * prefill took less time than 32 prompts, and a 64-sequence decode step less than a 32-sequence
 * one), and so is a prompt that took longer than a longer one.
 */
export function heldOutReason(p: MeasuredPoint, all: readonly MeasuredPoint[]): string | null {
  if (p.kind === 'generation') return 'published check, never fitted';
  if (p.batch === 64) return 'outlier: batch-64 rows are non-monotonic in the source';
  if (p.kind === 'prefill' && p.batch > 1) return 'batched prefill: predicted, not fitted';
  const faster = slowerThanLonger(p, all);
  if (faster?.kind === 'prefill')
    return `outlier: slower than the ${faster.tokens}-token prompt (${faster.ms.toFixed(1)} ms) on the same GPU and TP`;
  return null;
}
export const fitPoints = (all: readonly MeasuredPoint[]) => all.filter((p) => heldOutReason(p, all) === null);

/**
 * Fits a and κ to measured points of one LLM by nonnegative least squares on relative errors
 * (each row divided by its measured time, so a 50 ms step weighs as much as a 3 s prefill).
 * `points` must be fit points (see fitPoints).
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
      if (p.kind !== kind) continue;
      const x =
        p.kind === 'prefill'
          ? [1, p.tokens, p.tokens * p.tokens]
          : [1 + kvPerWeight * p.context_tokens, p.batch];
      const row = new Array<number>((gpus.length + 1) * terms.length).fill(0);
      const gi = g.get(p.gpu)!;
      terms.forEach((t, k) => {
        const shape = TERM_SHAPES[t];
        row[gi * terms.length + k] = (x[k]! * shape.own(p.tp)) / p.ms;
        // The all-reduce does not read KV: its d0 column is 1, not 1 + kv·C/W.
        const commX = t === 'd0' ? 1 : x[k]!;
        row[gpus.length * terms.length + k] = (commX * shape.comm(p.tp, nv(p.gpu))) / p.ms;
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
    points: points.length,
  };
}

/**
 * The per-GPU coefficients of a GPU with no measurement, from a measured one and the two
 * datasheets: the weight read (d0) scales with HBM bandwidth, the prefill matmuls (p1) with
 * dense BF16 FLOP/s. The rest stays: p0's fixed cost (launches and synchronisation, neither
 * bytes nor FLOPs), and prefill attention (p2) and per-sequence decode work (d1), which the
 * Splitwise fit finds equal on A100 and H100 (within 6% and 1%) against a 3.2× FLOP/s ratio:
 * they are bound by neither datasheet figure there. It assumes the same efficiency on both
 * GPUs, which holds best for one architecture (H200 from H100: same Hopper compute, faster and
 * bigger HBM3e); across architectures the matmul efficiency differs (docs/calibration.md).
 */
export function transferGpu(a: TermValues, from: GpuSpeeds, to: GpuSpeeds): TermValues {
  const mem = from.hbmGbytesPerS / to.hbmGbytesPerS;
  const flops = from.tflops / to.tflops;
  return { p0: a.p0, p1: a.p1 * flops, p2: a.p2, d0: a.d0 * mem, d1: a.d1 };
}

/** How each coefficient of the fitted LLM scales to another: the roofline ratio of its work. */
export interface ModelScale {
  /** Weight bytes (at the precision served): the split part of d0. */
  weights: number;
  /** Parameters (FLOPs per token): the split part of d1. */
  params: number;
  /**
   * Matmul FLOPs per token over the rate they run at (parameters, divided by the speed-up of a
   * lower precision's tensor cores over BF16's): the split part of p1.
   */
  matmul: number;
  /** layers · hidden (attention FLOPs per token pair; bytes all-reduced per token): p2, comm of p1, d1. */
  layersHidden: number;
  /** Layers (fixed costs and all-reduces per forward pass): p0, comm of d0. */
  layers: number;
  /** KV bytes per token relative to weight bytes, for d2. */
  kvPerWeight: number;
}

export interface Coefficients extends TermValues {
  d2: number;
}

/** Profile coefficients of the scaled LLM on a GPU with per-GPU coefficients `a` at degree tp. */
export function coefficientsAt(
  a: TermValues,
  kappa: TermValues,
  nvlinkGbytesPerS: number,
  tp: number,
  s: ModelScale,
): Coefficients {
  const own = (t: Term, scale: number) => a[t] * scale * TERM_SHAPES[t].own(tp);
  const comm = (t: Term, scale: number) => kappa[t] * scale * TERM_SHAPES[t].comm(tp, nvlinkGbytesPerS);
  const d0Split = own('d0', s.weights);
  return {
    p0: own('p0', s.layers) + comm('p0', s.layers),
    p1: own('p1', s.matmul) + comm('p1', s.layersHidden),
    p2: own('p2', s.layersHidden) + comm('p2', s.layersHidden),
    d0: d0Split + comm('d0', s.layers),
    d1: own('d1', s.params) + comm('d1', s.layersHidden),
    d2: d0Split * s.kvPerWeight,
  };
}
