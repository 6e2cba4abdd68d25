import type { Gpu } from '../schema/catalog.ts';
import type { MeasuredPoint } from '../schema/measurements.ts';
import { calibration, fitCalibration, modelScale } from './builtin.ts';
import { type Catalog, loadCatalog, requireGpu, requireLlm } from './catalog.ts';
import {
  coefficientsAt,
  gpuSpeeds,
  heldOutReason,
  isFitPoint,
  type TermValues,
  type TpModel,
  transferGpu,
} from './tpModel.ts';

/**
 * Largest relative error the bundled fit may show on any point it was fitted to, by phase; a CI
 * test holds the fit to it. Prefill is looser: the Splitwise prefill points below 512 tokens are
 * noisy (on H100 TP8 a 128-token prompt took longer than a 256-token one), which no quadratic in
 * T follows, and TP8's long prompts grow faster than TP2's.
 */
export const FITTED_POINT_TOLERANCE = { prefill: 0.3, decode: 0.1 } as const;

export interface PointRow {
  gpu: string;
  model: string;
  tp: number;
  kind: 'prefill' | 'decode';
  batch: number;
  /** Prompt tokens (prefill) or context tokens of the batch (decode). */
  tokens: number;
  measuredMs: number;
  predictedMs: number;
  /** predicted / measured − 1. */
  relError: number;
  use: 'fitted' | 'held out';
  /** Why a held-out point was left out of the fit. */
  reason: string | null;
}

function predictMs(model: TpModel, catalog: Catalog, gpu: Gpu, a: TermValues, p: MeasuredPoint): number {
  const llm = requireLlm(catalog, p.model, 'calibration');
  const ref = requireLlm(catalog, model.model, 'calibration');
  const c = coefficientsAt(a, model.kappa, gpu.nvlink_gbytes_per_s, p.tp, modelScale(llm, ref));
  if (p.kind === 'prefill') {
    // A batch of equal prompts: p0 once, p1 per token, p2 per prompt (Σ Tᵢ²).
    return c.p0 + c.p1 * p.batch * p.tokens + c.p2 * p.batch * p.tokens * p.tokens; // = batchedPrefillMs
  }
  return c.d0 + c.d1 * p.batch + c.d2 * p.context_tokens;
}

function row(p: MeasuredPoint, predictedMs: number, use: PointRow['use'], reason: string | null): PointRow {
  return {
    gpu: p.gpu,
    model: p.model,
    tp: p.tp,
    kind: p.kind,
    batch: p.batch,
    tokens: p.kind === 'prefill' ? p.tokens : p.context_tokens,
    measuredMs: p.ms,
    predictedMs,
    relError: predictedMs / p.ms - 1,
    use,
    reason,
  };
}

/** Every measured point beside the bundled fit's prediction; batched prefills are held out. */
export function pointTable(catalog: Catalog = loadCatalog()): PointRow[] {
  const { measurements, tpModel } = calibration(catalog);
  return measurements.points.map((p) => {
    const gpu = requireGpu(catalog, p.gpu, 'calibration');
    const pred = predictMs(tpModel, catalog, gpu, tpModel.gpus.get(p.gpu)!.a, p);
    const reason = heldOutReason(p);
    return row(p, pred, reason === null ? 'fitted' : 'held out', reason);
  });
}

export interface ErrorSummary {
  held: string;
  kind: 'prefill' | 'decode';
  points: number;
  meanAbsError: number;
  /** The signed error of largest magnitude. */
  worstError: number;
}

function summarize(held: string, rows: PointRow[]): ErrorSummary[] {
  return (['prefill', 'decode'] as const).flatMap((kind) => {
    const r = rows.filter((x) => x.kind === kind);
    if (r.length === 0) return [];
    const worst = r.reduce((w, x) => (Math.abs(x.relError) > Math.abs(w) ? x.relError : w), 0);
    return [
      {
        held,
        kind,
        points: r.length,
        meanAbsError: r.reduce((s, x) => s + Math.abs(x.relError), 0) / r.length,
        worstError: worst,
      },
    ];
  });
}

/**
 * Leave one (GPU, TP degree) out: refit without that GPU's points at that degree and predict
 * them. The GPU's split work then comes from its other degree and the all-reduce κ from the
 * other GPUs, so this tests the TP rule on a degree the GPU was never measured at. (With two
 * measured degrees, leaving a degree out on every GPU at once would leave κ undetermined.)
 */
export function leaveOneTpOut(catalog: Catalog = loadCatalog()): ErrorSummary[] {
  const { measurements } = calibration(catalog);
  const fitPoints = measurements.points.filter(isFitPoint);
  const cells = [...new Set(fitPoints.map((p) => `${p.gpu}|${p.tp}`))].sort();
  return cells.flatMap((cell) => {
    const [gpuName, tp] = cell.split('|');
    const out = (p: MeasuredPoint) => p.gpu === gpuName && p.tp === Number(tp);
    const model = fitCalibration(
      catalog,
      fitPoints.filter((p) => !out(p)),
    );
    const gpu = requireGpu(catalog, gpuName!, 'calibration');
    const a = model.gpus.get(gpuName!)!.a;
    const rows = fitPoints
      .filter(out)
      .map((p) =>
        row(p, predictMs(model, catalog, gpu, a, p), 'held out', `${gpuName} TP${tp} left out of the fit`),
      );
    return summarize(`${gpuName} TP${tp}`, rows);
  });
}

/**
 * Leave one GPU out: refit on the other GPUs only and predict the held-out GPU through the
 * datasheet rule that gives the H200 its profile (transferGpu from each remaining GPU).
 */
export function leaveOneGpuOut(catalog: Catalog = loadCatalog()): ErrorSummary[] {
  const { measurements } = calibration(catalog);
  const fitPoints = measurements.points.filter(isFitPoint);
  const gpus = [...new Set(fitPoints.map((p) => p.gpu))].sort();
  return gpus.flatMap((held) =>
    gpus
      .filter((g) => g !== held)
      .flatMap((basis) => {
        const model = fitCalibration(
          catalog,
          fitPoints.filter((p) => p.gpu !== held),
        );
        const heldGpu = requireGpu(catalog, held, 'calibration');
        const basisGpu = requireGpu(catalog, basis, 'calibration');
        const a = transferGpu(model.gpus.get(basis)!.a, gpuSpeeds(basisGpu), gpuSpeeds(heldGpu));
        const rows = fitPoints
          .filter((p) => p.gpu === held)
          .map((p) =>
            row(p, predictMs(model, catalog, heldGpu, a, p), 'held out', `${held} left out of the fit`),
          );
        return summarize(`${held} from ${basis}`, rows);
      }),
  );
}
