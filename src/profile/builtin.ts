import { HexplanError } from '../errors.ts';
import { loadFile } from '../io/loadDocument.ts';
import { packagePath } from '../io/packageRoot.ts';
import type { Gpu, Llm } from '../schema/catalog.ts';
import { GpuRatios, type MeasuredPoint, Measurements } from '../schema/measurements.ts';
import type { Profile } from '../schema/profile.ts';
import { type Catalog, requireGpu, requireLlm } from './catalog.ts';
import { kvBytesPerToken, weightBytes } from './formulas.ts';
import { reserveBytes } from './memory.ts';
import {
  type Coefficients,
  coefficientsAt,
  fitPoints,
  fitTpModel,
  gpuSpeeds,
  type ModelScale,
  type TermValues,
  type TpModel,
  transferGpu,
} from './tpModel.ts';

export const BUNDLED_MEASUREMENTS = packagePath('models', 'measurements', 'splitwise-llama2-70b.json');
const MEASUREMENTS_DISPLAY = 'models/measurements/splitwise-llama2-70b.json';
/** Published timings the profiles are checked against but never fitted to (`hexplan calibration`). */
export const BUNDLED_CHECKS = [packagePath('models', 'measurements', 'qwen2.5-speed-benchmark.json')];

export interface Calibration {
  measurements: Measurements;
  tpModel: TpModel;
}

const cache = new WeakMap<Catalog, Calibration>();

/** The bundled measurements and the tensor-parallel model fitted to them (once per catalog). */
export function calibration(catalog: Catalog): Calibration {
  const hit = cache.get(catalog);
  if (hit) return hit;
  const measurements = loadFile(BUNDLED_MEASUREMENTS, Measurements);
  const tpModel = fitCalibration(catalog, fitPoints(measurements.points));
  const result = { measurements, tpModel };
  cache.set(catalog, result);
  return result;
}

/** Published GPU-to-GPU throughput ratios the profiles are checked against. */
export const BUNDLED_RATIOS = [packagePath('models', 'measurements', 'trtllm-h200-h100-llama3.1-8b.json')];

let checks: Measurements[] | undefined;
let ratios: GpuRatios[] | undefined;
/** The published ratios (BUNDLED_RATIOS), read once. */
export function publishedRatios(): GpuRatios[] {
  ratios ??= BUNDLED_RATIOS.map((file) => loadFile(file, GpuRatios));
  return ratios;
}

/** The published checks (BUNDLED_CHECKS), read once. */
export function publishedChecks(): Measurements[] {
  checks ??= BUNDLED_CHECKS.map((file) => loadFile(file, Measurements));
  return checks;
}

/** Fits the TP model to fit points (see fitPoints) of one LLM; cross-validation refits on subsets. */
export function fitCalibration(catalog: Catalog, points: MeasuredPoint[]): TpModel {
  const models = [...new Set(points.map((p) => p.model))];
  if (models.length !== 1)
    throw new HexplanError(`${MEASUREMENTS_DISPLAY}: expected one model, got ${models.join(', ')}`);
  const llm = requireLlm(catalog, models[0]!, MEASUREMENTS_DISPLAY);
  const speeds = new Map([...catalog.gpus.values()].map((g) => [g.name, gpuSpeeds(g)]));
  return fitTpModel(
    points,
    speeds,
    { name: llm.name, kvBytesPerToken: kvBytesPerToken(llm), weightBytes: weightBytes(llm) },
    MEASUREMENTS_DISPLAY,
  );
}

/**
 * The bytes and matmul rate an LLM is served at when they are not the catalog's (a published run
 * of an FP8 checkpoint, say): weights and KV elements in bytes, and the speed-up of the linear
 * layers' tensor cores at that precision over BF16 (the datasheets' dense TFLOP/s ratio).
 */
export interface Precision {
  weightBytesPerParam: number;
  kvBytesPerElement: number;
  matmulSpeedup: number;
}

/** The catalog's precision of `llm` (its bytes_per_element for weights and KV, BF16 matmuls). */
export const catalogPrecision = (llm: Llm): Precision => ({
  weightBytesPerParam: llm.bytes_per_element,
  kvBytesPerElement: llm.bytes_per_element,
  matmulSpeedup: 1,
});

function precisionNote(llm: Llm, p: Precision): string {
  const c = catalogPrecision(llm);
  if (
    p.weightBytesPerParam === c.weightBytesPerParam &&
    p.kvBytesPerElement === c.kvBytesPerElement &&
    p.matmulSpeedup === 1
  )
    return '';
  return `; served at ${p.weightBytesPerParam} bytes per weight, ${p.kvBytesPerElement} per KV element, matmuls ${p.matmulSpeedup}× the BF16 rate`;
}

/** Weight and KV bytes of `llm` at a precision. */
export function bytesAt(llm: Llm, precision: Precision): { weightBytes: number; kvBytesPerToken: number } {
  return {
    weightBytes: Math.round(llm.params_b * 1e9 * precision.weightBytesPerParam),
    kvBytesPerToken: (kvBytesPerToken(llm) / llm.bytes_per_element) * precision.kvBytesPerElement,
  };
}

/**
 * Roofline ratios of `llm`'s work, served at `precision`, to the fitted LLM's as measured (see
 * ModelScale): fewer weight bytes read per step, fewer KV bytes per context token, and faster
 * matmuls where a lower precision's tensor cores are faster.
 */
export function modelScale(llm: Llm, ref: Llm, precision: Precision = catalogPrecision(llm)): ModelScale {
  const bytes = bytesAt(llm, precision);
  const params = llm.params_b / ref.params_b;
  return {
    weights: bytes.weightBytes / weightBytes(ref),
    params,
    matmul: params / precision.matmulSpeedup,
    layersHidden: (llm.layers * llm.hidden_size) / (ref.layers * ref.hidden_size),
    layers: llm.layers / ref.layers,
    kvPerWeight: bytes.kvBytesPerToken / bytes.weightBytes,
  };
}

/** The per-GPU coefficients `a` of a GPU: its own fit, or its basis GPU's through the datasheets. */
export function splitWork(
  model: TpModel,
  catalog: Catalog,
  gpu: Gpu,
  where: string,
): { a: TermValues; basis: string } {
  const own = model.gpus.get(gpu.name);
  if (own) return own;
  if (!gpu.profile_basis) {
    throw new HexplanError(
      `${where}: GPU "${gpu.name}" has no measurement in ${MEASUREMENTS_DISPLAY} and no profile_basis in the GPU catalog`,
    );
  }
  const basisGpu = requireGpu(catalog, gpu.profile_basis, `${where}: ${gpu.name}.profile_basis`);
  const basis = model.gpus.get(basisGpu.name);
  if (!basis) {
    throw new HexplanError(
      `${where}: ${gpu.name}.profile_basis "${basisGpu.name}" has no measurement in ${MEASUREMENTS_DISPLAY}`,
    );
  }
  return {
    a: transferGpu(basis.a, gpuSpeeds(basisGpu), gpuSpeeds(gpu)),
    basis: `${basisGpu.name} fit scaled by the datasheets (HBM ${basisGpu.hbm_gbytes_per_s}→${gpu.hbm_gbytes_per_s} GB/s, BF16 ${basisGpu.bf16_dense_tflops}→${gpu.bf16_dense_tflops} TFLOP/s)`,
  };
}

/**
 * The built-in profile of (gpu, llm, tp): the TP model's coefficients for the GPU (fitted, or
 * transferred from its basis GPU), scaled from the measured LLM to this one by roofline ratios;
 * memory in real bytes with the weights, workspace and activation reserve accounted. At the
 * catalog's precision unless `precision` says otherwise (the published checks' FP8 runs).
 */
export function builtinProfile(
  catalog: Catalog,
  gpu: Gpu,
  llm: Llm,
  tp: number,
  where = 'profile',
  precision: Precision = catalogPrecision(llm),
): Profile {
  const { tpModel } = calibration(catalog);
  const ref = requireLlm(catalog, tpModel.model, MEASUREMENTS_DISPLAY);
  const work = splitWork(tpModel, catalog, gpu, where);
  const c: Coefficients = coefficientsAt(
    work.a,
    tpModel.kappa,
    gpu.nvlink_gbytes_per_s,
    tp,
    modelScale(llm, ref, precision),
  );
  const bytes = bytesAt(llm, precision);
  const scaled = llm.name === ref.name ? '' : `, scaled from ${ref.name} to ${llm.name} by roofline ratios`;
  const fit = `${work.basis}${scaled}`;
  const shared = '(fitted across GPUs and TP degrees)';
  const comm = (what: string) => (tp > 1 ? ` + ${what} ${shared}` : '');
  const provenance = {
    p0_ms: `fixed cost per forward pass F (not split by TP), ${fit}${comm('all-reduce latency α·(tp−1)')}`,
    p1_ms_per_token: `matmul work C/tp, ${fit}${comm('ring all-reduce bandwidth β·(tp−1)/tp/NVLink')}`,
    p2_ms_per_token2: `attention work A/tp, ${fit}${comm('empirical γ·(tp−1)/NVLink (long prompts at high TP)')}`,
    d0_ms: `weight read a/tp, ${fit}${comm('all-reduce κ·(tp−1)/NVLink')}`,
    d1_ms_per_seq: `per-sequence work a/tp, ${fit}${comm('all-reduce κ·(tp−1)/NVLink')}`,
    d2_ms_per_token:
      "KV read at the rate of d0's weight read (not separable from d1 in the measurements): d0 split part · kv_bytes_per_token / weight_bytes",
  };
  return {
    gpu: gpu.name,
    model: llm.name,
    tp,
    prefill: { p0_ms: c.p0, p1_ms_per_token: c.p1, p2_ms_per_token2: c.p2 },
    decode: { d0_ms: c.d0, d1_ms_per_seq: c.d1, d2_ms_per_token: c.d2 },
    kv_bytes_per_token: bytes.kvBytesPerToken,
    weight_bytes: bytes.weightBytes,
    memory_bytes: gpu.usable_memory_bytes * tp,
    reserve_bytes: reserveBytes(llm, tp),
    price_per_hour: gpu.price_per_hour * tp,
    power_w: gpu.power_w * tp,
    provenance: {
      method: tpModel.gpus.has(gpu.name) ? 'fitted' : 'roofline',
      source: `tensor-parallel model (src/profile/tpModel.ts) fitted to ${tpModel.points} points of ${MEASUREMENTS_DISPLAY}`,
      notes: `tp=${tp}; memory: ${gpu.usable_memory_bytes} usable bytes per GPU (models/gpus.json)${precisionNote(llm, precision)}`,
      coefficients: provenance,
    },
  };
}
