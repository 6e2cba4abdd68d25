import { HexplanError } from '../errors.ts';
import type { Gpu, Llm } from '../schema/catalog.ts';
import { type Catalog, loadCatalog, requireGpu, requireLlm } from './catalog.ts';
import { decodeStepMs, kvBytesPerToken, prefillMs, weightBytes } from './formulas.ts';
import { rooflineProfile } from './roofline.ts';

/**
 * Published measurements the roofline efficiency factors are derived from: Splitwise
 * (Patel et al., ISCA 2024), Llama-2-70B with tensor parallelism 2 on DGX A100 and DGX H100.
 * Prefill of a 2048-token prompt, and one decode step at batch 1 and batch 32.
 */
export const SPLITWISE_MEASUREMENTS = {
  source: 'Splitwise: Efficient generative LLM inference using phase splitting (Patel et al., ISCA 2024)',
  model: 'Llama-2-70B',
  tp: 2,
  prefillTokens: 2048,
  gpus: {
    'A100-SXM4-80GB': { prefillMs: 686, decodeB1Ms: 54.9, decodeB32Ms: 72.2 },
    'H100-SXM5-80GB': { prefillMs: 308, decodeB1Ms: 37.0, decodeB32Ms: 52.3 },
  } as Record<string, { prefillMs: number; decodeB1Ms: number; decodeB32Ms: number }>,
} as const;

/**
 * ASSUMPTION: the context length of each sequence in the decode measurements. Splitwise's
 * decode figures do not come with a per-sequence context we could confirm, so we assume
 * 1024 tokens (about the conversation trace's median prompt, 1020), i.e. C = 1024 at batch 1
 * and C = 32·1024 at batch 32. `calibrationSensitivity` shows how the factors move with it.
 */
export const ASSUMED_DECODE_CONTEXT_PER_SEQ = 1024;

export interface Efficiency {
  prefill_mfu: number;
  decode_hbm: number;
  decode_seq_mfu: number;
}

/**
 * Solves the roofline's three efficiency factors from three measurements, exactly:
 * with x = 1/decode_hbm and y = 1/decode_seq_mfu, the decode step is linear in (x, y):
 *   step(B, C) = x·(W + C·kv)/BW + y·B·2P/F
 * (W weight bytes, kv KV bytes per token, BW and F the TP group's peak bandwidth and FLOP/s),
 * so the batch-1 and batch-32 points give a 2×2 system. Prefill then gives prefill_mfu:
 *   prefill(T) = W/(BW·decode_hbm) + (2P·T + 2·layers·hidden·T²)/(F·prefill_mfu).
 * Three unknowns from three points: the points are reproduced by construction.
 */
export function deriveEfficiency(
  gpu: Gpu,
  llm: Llm,
  tp: number,
  m: { prefillTokens: number; prefillMs: number; decodeB1Ms: number; decodeB32Ms: number },
  contextPerSeq = ASSUMED_DECODE_CONTEXT_PER_SEQ,
): Efficiency {
  const flopsPerMs = gpu.bf16_dense_tflops * 1e12 * tp * 1e-3;
  const bytesPerMs = gpu.hbm_gbytes_per_s * 1e9 * tp * 1e-3;
  const w = weightBytes(llm);
  const kv = kvBytesPerToken(llm);
  const seqFlops = 2 * llm.params_b * 1e9;
  // Rows: [coefficient of x, coefficient of y] = measured ms.
  const a11 = (w + contextPerSeq * kv) / bytesPerMs;
  const a12 = seqFlops / flopsPerMs;
  const a21 = (w + 32 * contextPerSeq * kv) / bytesPerMs;
  const a22 = (32 * seqFlops) / flopsPerMs;
  const det = a11 * a22 - a12 * a21;
  const x = (m.decodeB1Ms * a22 - a12 * m.decodeB32Ms) / det;
  const y = (a11 * m.decodeB32Ms - a21 * m.decodeB1Ms) / det;
  if (!(x > 0 && y > 0)) {
    throw new HexplanError(
      `calibration of ${gpu.name}: the decode points give non-positive efficiencies (1/hbm=${x}, 1/seq=${y})`,
    );
  }
  const decodeHbm = 1 / x;
  const t = m.prefillTokens;
  const computeMs = m.prefillMs - w / (bytesPerMs * decodeHbm);
  const prefillFlops = seqFlops * t + 2 * llm.layers * llm.hidden_size * t * t;
  if (!(computeMs > 0))
    throw new HexplanError(`calibration of ${gpu.name}: prefill faster than one weight read`);
  return {
    prefill_mfu: prefillFlops / (flopsPerMs * computeMs),
    decode_hbm: decodeHbm,
    decode_seq_mfu: 1 / y,
  };
}

export interface CalibrationRow {
  gpu: string;
  point: string;
  measuredMs: number;
  predictedMs: number;
  /** (predicted − measured) / measured. */
  relError: number;
}

/** Roofline predictions with the catalog's stored factors, next to every measurement. */
export function calibrationTable(
  catalog: Catalog = loadCatalog(),
  contextPerSeq = ASSUMED_DECODE_CONTEXT_PER_SEQ,
): CalibrationRow[] {
  const m = SPLITWISE_MEASUREMENTS;
  const llm = requireLlm(catalog, m.model, 'calibration');
  const rows: CalibrationRow[] = [];
  for (const [name, meas] of Object.entries(m.gpus)) {
    const p = rooflineProfile(requireGpu(catalog, name, 'calibration'), llm, m.tp);
    const add = (point: string, measuredMs: number, predictedMs: number) =>
      rows.push({ gpu: name, point, measuredMs, predictedMs, relError: predictedMs / measuredMs - 1 });
    add(`prefill ${m.prefillTokens} tokens`, meas.prefillMs, prefillMs(p, m.prefillTokens));
    add('decode step, batch 1', meas.decodeB1Ms, decodeStepMs(p, 1, contextPerSeq));
    add('decode step, batch 32', meas.decodeB32Ms, decodeStepMs(p, 32, 32 * contextPerSeq));
  }
  return rows;
}

/** Factors derived from the measurements for each measured GPU (what models/gpus.json should hold). */
export function derivedFactors(
  catalog: Catalog = loadCatalog(),
  contextPerSeq = ASSUMED_DECODE_CONTEXT_PER_SEQ,
) {
  const m = SPLITWISE_MEASUREMENTS;
  const llm = requireLlm(catalog, m.model, 'calibration');
  return Object.entries(m.gpus).map(([name, meas]) => ({
    gpu: name,
    derived: deriveEfficiency(
      requireGpu(catalog, name, 'calibration'),
      llm,
      m.tp,
      { prefillTokens: m.prefillTokens, ...meas },
      contextPerSeq,
    ),
    stored: requireGpu(catalog, name, 'calibration').efficiency,
  }));
}

/** H100/A100 speed ratios (A100 time / H100 time), measured and as the stored factors reproduce them. */
export function speedRatios(rows: CalibrationRow[]) {
  const points = [...new Set(rows.map((r) => r.point))];
  return points.map((point) => {
    const a = rows.find((r) => r.point === point && r.gpu.startsWith('A100'))!;
    const h = rows.find((r) => r.point === point && r.gpu.startsWith('H100'))!;
    return { point, measured: a.measuredMs / h.measuredMs, predicted: a.predictedMs / h.predictedMs };
  });
}

/**
 * The one out-of-sample check: apply the A100's derived factors to the H100's datasheet specs
 * (a spec-only roofline) and compare with the H100 measurements, which it never saw.
 */
export function crossGpuCheck(
  catalog: Catalog = loadCatalog(),
  contextPerSeq = ASSUMED_DECODE_CONTEXT_PER_SEQ,
) {
  const m = SPLITWISE_MEASUREMENTS;
  const llm = requireLlm(catalog, m.model, 'calibration');
  const a100 = requireGpu(catalog, 'A100-SXM4-80GB', 'calibration');
  const h100 = requireGpu(catalog, 'H100-SXM5-80GB', 'calibration');
  const eff = deriveEfficiency(
    a100,
    llm,
    m.tp,
    { prefillTokens: m.prefillTokens, ...m.gpus[a100.name]! },
    contextPerSeq,
  );
  const p = rooflineProfile({ ...h100, efficiency: eff }, llm, m.tp);
  const meas = m.gpus[h100.name]!;
  const pairs: Array<[string, number, number]> = [
    [`prefill ${m.prefillTokens} tokens`, meas.prefillMs, prefillMs(p, m.prefillTokens)],
    ['decode step, batch 1', meas.decodeB1Ms, decodeStepMs(p, 1, contextPerSeq)],
    ['decode step, batch 32', meas.decodeB32Ms, decodeStepMs(p, 32, 32 * contextPerSeq)],
  ];
  return pairs.map(([point, measuredMs, predictedMs]) => ({
    gpu: h100.name,
    point,
    measuredMs,
    predictedMs,
    relError: predictedMs / measuredMs - 1,
  }));
}

/** How the derived factors move with the assumed decode context per sequence. */
export function calibrationSensitivity(catalog: Catalog = loadCatalog(), contexts = [0, 512, 1024, 2048]) {
  return contexts.flatMap((c) =>
    derivedFactors(catalog, c).map((f) => ({ contextPerSeq: c, gpu: f.gpu, ...f.derived })),
  );
}
