import type { CalibrationReport } from '../schema/results/calibration.ts';
import { calibration } from './builtin.ts';
import {
  type ErrorSummary,
  FITTED_POINT_TOLERANCE,
  leaveOneGpuOut,
  leaveOneTpOut,
  pointTable,
  RATIO_TARGET,
  ratioSensitivity,
  ratioTable,
} from './calibration.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { TERMS } from './tpModel.ts';

/** The cross-validation targets of the calibration (mean and worst absolute relative error). */
export const CROSS_VALIDATION_TARGET = { mean_abs_error: 0.1, worst_abs_error: 0.2 };

/** Everything `hexplan calibration` prints, as data (JSON): computed from the code, not typed. */
export function calibrationReport(catalog: Catalog = loadCatalog()): CalibrationReport {
  const { measurements, tpModel } = calibration(catalog);
  const points = pointTable(catalog);
  const fitted = points.filter((p) => p.use === 'fitted');
  const checks = points.filter((p) => p.kind === 'generation');
  const maxFitted = (kind: 'prefill' | 'decode') =>
    Math.max(...fitted.filter((p) => p.kind === kind).map((p) => Math.abs(p.rel_error)));
  const maxAbsError = { prefill: maxFitted('prefill'), decode: maxFitted('decode') };
  const loto = leaveOneTpOut(catalog);
  const logo = leaveOneGpuOut(catalog);
  const meets = (rows: ErrorSummary[]) =>
    rows.every(
      (r) =>
        r.mean_abs_error <= CROSS_VALIDATION_TARGET.mean_abs_error &&
        Math.abs(r.worst_error) <= CROSS_VALIDATION_TARGET.worst_abs_error,
    );
  return {
    source: measurements.source,
    license: measurements.license,
    model: tpModel.model,
    coefficients: {
      split_work: Object.fromEntries([...tpModel.gpus].map(([g, v]) => [g, v.a])),
      all_reduce_kappa: tpModel.kappa,
      terms: [...TERMS],
    },
    points,
    published_checks: checks,
    ratio_checks: ratioTable(catalog),
    ratio_sensitivity: ratioSensitivity(catalog),
    ratio_target: RATIO_TARGET,
    fitted: { points: fitted.length, max_abs_error: maxAbsError, tolerance: { ...FITTED_POINT_TOLERANCE } },
    within_tolerance:
      maxAbsError.prefill <= FITTED_POINT_TOLERANCE.prefill &&
      maxAbsError.decode <= FITTED_POINT_TOLERANCE.decode,
    leave_one_tp_out: loto,
    leave_one_gpu_out: logo,
    target: { ...CROSS_VALIDATION_TARGET },
    leave_one_tp_out_meets_target: {
      prefill: meets(loto.filter((r) => r.kind === 'prefill')),
      decode: meets(loto.filter((r) => r.kind === 'decode')),
    },
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const abs = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => x.toFixed(1);
const num = (x: number) => (x === 0 ? '0' : x.toPrecision(4));

function summaryTable(rows: CalibrationReport['leave_one_tp_out']): string[] {
  return [
    '| held out | phase | points | mean abs error | worst error |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.held} | ${r.kind} | ${r.points} | ${abs(r.mean_abs_error)} | ${pct(r.worst_error)} |`,
    ),
  ];
}

function pointWhat(p: CalibrationReport['points'][number]): string {
  if (p.kind === 'prefill') return `${p.batch} × ${p.tokens} tokens`;
  if (p.kind === 'decode') return `batch ${p.batch}, context ${p.tokens}`;
  return `${p.tokens} in, ${p.output_tokens} out`;
}

function pointLine(p: CalibrationReport['points'][number]): string {
  return `| ${p.model} | ${p.gpu} | ${p.tp} | ${p.kind} | ${pointWhat(p)} | ${ms(p.measured_ms)} | ${ms(p.predicted_ms)} | ${pct(p.rel_error)} | ${p.use}${p.reason ? ` (${p.reason})` : ''} |`;
}

function servingText(s: CalibrationReport['ratio_checks'][number]['serving']): string {
  const tflops = Object.entries(s.matmul_dense_tflops)
    .map(([g, t]) => `${g} ${t}`)
    .join(', ');
  return (
    `${s.weight_bytes_per_param} byte${s.weight_bytes_per_param === 1 ? '' : 's'} per weight, ${s.kv_bytes_per_element} per KV element, matmuls at ` +
    `${tflops} dense TFLOP/s, KV in ${s.kv_free_memory_fraction} of the memory left after weights and workspace, ` +
    `decode batches up to ${s.max_decode_batch}`
  );
}

function ratioSection(
  rows: CalibrationReport['ratio_checks'],
  sensitivity: CalibrationReport['ratio_sensitivity'],
): string[] {
  const first = rows[0];
  if (!first) return [];
  const within = rows.filter((r) => Math.abs(r.rel_error) <= RATIO_TARGET).length;
  return [
    `**GPU ratios** (${first.numerator} / ${first.denominator}, ${first.model} TP${first.tp}, maximum throughput, ` +
      `published in ${first.precision}; the profiles evaluated as the runs served the model: ${servingText(first.serving)}; ${first.source}):`,
    '',
    "| input / output tokens | published ratio | profiles' ratio | error | decode batches |",
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.input_tokens} / ${r.output_tokens} | ${r.published_ratio.toFixed(3)} | ${r.predicted_ratio.toFixed(3)} | ${pct(r.rel_error)} | ${r.batches[0]} / ${r.batches[1]} |`,
    ),
    '',
    `Within ${abs(RATIO_TARGET)} of the published ratio: ${within} of ${rows.length}.`,
    '',
    'The same check with one serving figure changed:',
    '',
    `| evaluated with | within ${abs(RATIO_TARGET)} | mean abs error | errors from … to |`,
    '|---|---|---|---|',
    ...sensitivity.map(
      (x) =>
        `| ${x.what} | ${x.within} of ${x.points} | ${abs(x.mean_abs_error)} | ${pct(x.min_error)} … ${pct(x.max_error)} |`,
    ),
  ];
}

const POINT_HEADER = [
  '| model | GPU | TP | phase | point | measured (ms) | predicted (ms) | error | use |',
  '|---|---|---|---|---|---|---|---|---|',
];

/** The calibration section of README.md and docs/calibration.md, as markdown (with every point if `points`). */
export function calibrationMarkdown(
  catalog: Catalog = loadCatalog(),
  options: { points?: boolean } = {},
): string {
  const r = calibrationReport(catalog);
  const gpus = Object.keys(r.coefficients.split_work);
  const lines = [
    `Measurements: ${r.model}, ${r.source} (${r.license}). Model (src/profile/tpModel.ts), per (GPU, TP):`,
    'p0 = F[gpu] + α·(tp−1); p1 = C[gpu]/tp + β·(tp−1)/tp/NVLink; p2 = A[gpu]/tp + γ·(tp−1)/NVLink;',
    'd0, d1 = a[gpu]/tp + κ·(tp−1)/NVLink. Per-GPU terms (F, C, A, a) are the work of one GPU, the shared',
    'ones (α, β, γ, κ) the all-reduce, fitted by nonnegative least squares on relative errors. Predictions',
    'below come from that one fit.',
    '',
    '**Leave one (GPU, TP) out** (refit without them, predict them; the GPU keeps its other TP degree, κ comes from',
    'the other GPU):',
    '',
    ...summaryTable(r.leave_one_tp_out),
    '',
    `Target: mean ≤ ${abs(r.target.mean_abs_error)}, worst ≤ ${abs(r.target.worst_abs_error)}. Decode: ${r.leave_one_tp_out_meets_target.decode ? 'met' : 'NOT met'}; prefill: ${r.leave_one_tp_out_meets_target.prefill ? 'met' : 'NOT met'}.`,
    '',
    '**Leave one GPU out** (refit on the other GPU, predict through the datasheet rule that gives the H200 its profile):',
    '',
    ...summaryTable(r.leave_one_gpu_out),
    '',
    `Fitted points: ${r.fitted.points}; largest error prefill ${abs(r.fitted.max_abs_error.prefill)}, decode ${abs(r.fitted.max_abs_error.decode)} ` +
      `(tolerance ${abs(r.fitted.tolerance.prefill)} / ${abs(r.fitted.tolerance.decode)}: ${r.within_tolerance ? 'met' : 'NOT met'}).`,
    '',
    'Coefficients (Llama-2-70B; ms, tokens, NVLink in GB/s):',
    '',
    `| | ${TERMS.join(' | ')} |`,
    `|---|${TERMS.map(() => '---').join('|')}|`,
    ...gpus.map(
      (g) => `| per GPU, ${g} | ${TERMS.map((t) => num(r.coefficients.split_work[g]![t])).join(' | ')} |`,
    ),
    `| shared (α, β, γ, κ, κ) | ${TERMS.map((t) => num(r.coefficients.all_reduce_kappa[t])).join(' | ')} |`,
    '',
    `**Published benchmarks** (never fitted: they check the transfer to other LLMs; ${r.published_checks[0]?.source ?? 'none'}):`,
    '',
    ...POINT_HEADER,
    ...r.published_checks.map(pointLine),
    '',
    ...ratioSection(r.ratio_checks, r.ratio_sensitivity),
  ];
  if (options.points) {
    lines.push(
      '',
      'Every point: measured, predicted, error, fitted or held out:',
      '',
      ...POINT_HEADER,
      ...r.points.filter((p) => p.kind !== 'generation').map(pointLine),
    );
  }
  return lines.join('\n');
}
