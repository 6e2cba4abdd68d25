import {
  ASSUMED_DECODE_CONTEXT_PER_SEQ,
  calibrationSensitivity,
  calibrationTable,
  crossGpuCheck,
  derivedFactors,
  SPLITWISE_MEASUREMENTS,
  speedRatios,
} from './calibration.ts';
import type { Catalog } from './catalog.ts';

/** Everything `hexplan calibration` prints, as data (JSON) — measured from the code, not typed. */
/** The tolerance the stored (rounded) factors must meet on every measured point. */
export const CALIBRATION_TOLERANCE = 0.001;

export function calibrationReport(catalog?: Catalog) {
  const rows = calibrationTable(catalog);
  const maxRelError = Math.max(...rows.map((r) => Math.abs(r.relError)));
  return {
    source: SPLITWISE_MEASUREMENTS.source,
    model: SPLITWISE_MEASUREMENTS.model,
    tp: SPLITWISE_MEASUREMENTS.tp,
    assumedDecodeContextPerSeq: ASSUMED_DECODE_CONTEXT_PER_SEQ,
    rows,
    maxRelError,
    tolerance: CALIBRATION_TOLERANCE,
    withinTolerance: maxRelError <= CALIBRATION_TOLERANCE,
    ratios: speedRatios(rows),
    factors: derivedFactors(catalog),
    crossGpu: crossGpuCheck(catalog),
    sensitivity: calibrationSensitivity(catalog),
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`;
const ms = (x: number) => x.toFixed(1);

/** The calibration section of docs/data.md, as markdown. */
export function calibrationMarkdown(catalog?: Catalog): string {
  const r = calibrationReport(catalog);
  const lines = [
    `Measurements: ${r.source}; ${r.model}, TP${r.tp}. Predictions: \`rooflineProfile\` with the factors stored in`,
    `models/gpus.json. Decode points assume ${r.assumedDecodeContextPerSeq} context tokens per sequence (C = ${r.assumedDecodeContextPerSeq}·B).`,
    '',
    '| GPU | point | measured (ms) | roofline (ms) | error |',
    '|---|---|---|---|---|',
    ...r.rows.map(
      (x) => `| ${x.gpu} | ${x.point} | ${ms(x.measuredMs)} | ${ms(x.predictedMs)} | ${pct(x.relError)} |`,
    ),
    '',
    `Largest error: ${(100 * r.maxRelError).toFixed(2)}% (tolerance ${100 * r.tolerance}%: ${r.withinTolerance ? 'met' : 'NOT met'}). **These six points are reproduced by`,
    'construction**: each GPU has three factors solved exactly from its three points; the residual is only the',
    'rounding of the stored factors to three decimals. They are not an independent validation.',
    '',
    'H100/A100 speed ratio (A100 time ÷ H100 time), reproduced by construction as well:',
    '',
    '| point | measured | roofline |',
    '|---|---|---|',
    ...r.ratios.map((x) => `| ${x.point} | ${x.measured.toFixed(3)} | ${x.predicted.toFixed(3)} |`),
    '',
    'Factors derived from the measurements (exact) next to those stored (rounded):',
    '',
    '| GPU | prefill_mfu | decode_hbm | decode_seq_mfu | stored |',
    '|---|---|---|---|---|',
    ...r.factors.map(
      (f) =>
        `| ${f.gpu} | ${f.derived.prefill_mfu.toFixed(4)} | ${f.derived.decode_hbm.toFixed(4)} | ${f.derived.decode_seq_mfu.toFixed(4)} | ` +
        `${f.stored.prefill_mfu} / ${f.stored.decode_hbm} / ${f.stored.decode_seq_mfu} |`,
    ),
    '',
    '**The one genuine (out-of-sample) check**: the A100-derived factors applied to the H100 datasheet (a',
    'spec-only roofline) against the H100 measurements it never saw:',
    '',
    '| GPU | point | measured (ms) | spec-only roofline (ms) | error |',
    '|---|---|---|---|---|',
    ...r.crossGpu.map(
      (x) => `| ${x.gpu} | ${x.point} | ${ms(x.measuredMs)} | ${ms(x.predictedMs)} | ${pct(x.relError)} |`,
    ),
    '',
    'A datasheet-ratio roofline overstates the H100 advantage (it is faster than measured), which is why each GPU',
    'carries its own factors. The H200 has no published point here: it reuses the H100 factors (an',
    'assumption; its faster HBM3e is taken from the datasheet), so every H200 figure is unvalidated.',
    '',
    'Sensitivity to the assumed decode context: decode_hbm and prefill_mfu do not depend on it (the batch-1 and',
    'batch-32 points fix decode_hbm through 32·t(1) − t(32) = 31·W/(BW·decode_hbm)); decode_seq_mfu does:',
    '',
    '| context per sequence | GPU | prefill_mfu | decode_hbm | decode_seq_mfu |',
    '|---|---|---|---|---|',
    ...r.sensitivity.map(
      (x) =>
        `| ${x.contextPerSeq} | ${x.gpu} | ${x.prefill_mfu.toFixed(3)} | ${x.decode_hbm.toFixed(3)} | ${x.decode_seq_mfu.toFixed(3)} |`,
    ),
  ];
  return lines.join('\n');
}
