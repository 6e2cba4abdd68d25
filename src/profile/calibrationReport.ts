import { calibration } from './builtin.ts';
import {
  type ErrorSummary,
  FITTED_POINT_TOLERANCE,
  leaveOneGpuOut,
  leaveOneTpOut,
  type PointRow,
  pointTable,
  RATIO_TARGET,
  type RatioRow,
  type RatioSensitivity,
  ratioSensitivity,
  ratioTable,
} from './calibration.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { TERMS } from './tpModel.ts';

/** The cross-validation targets of the calibration (mean and worst absolute relative error). */
export const CROSS_VALIDATION_TARGET = { meanAbsError: 0.1, worstAbsError: 0.2 };

/** Everything `hexplan calibration` prints, as data (JSON): computed from the code, not typed. */
export function calibrationReport(catalog: Catalog = loadCatalog()) {
  const { measurements, tpModel } = calibration(catalog);
  const points = pointTable(catalog);
  const fitted = points.filter((p) => p.use === 'fitted');
  const checks = points.filter((p) => p.kind === 'generation');
  const maxFitted = (kind: 'prefill' | 'decode') =>
    Math.max(...fitted.filter((p) => p.kind === kind).map((p) => Math.abs(p.relError)));
  const maxAbsError = { prefill: maxFitted('prefill'), decode: maxFitted('decode') };
  const loto = leaveOneTpOut(catalog);
  const logo = leaveOneGpuOut(catalog);
  const meets = (rows: ErrorSummary[]) =>
    rows.every(
      (r) =>
        r.meanAbsError <= CROSS_VALIDATION_TARGET.meanAbsError &&
        Math.abs(r.worstError) <= CROSS_VALIDATION_TARGET.worstAbsError,
    );
  return {
    source: measurements.source,
    license: measurements.license,
    model: tpModel.model,
    coefficients: {
      split_work: Object.fromEntries([...tpModel.gpus].map(([g, v]) => [g, v.a])),
      all_reduce_kappa: tpModel.kappa,
      terms: TERMS,
    },
    points,
    publishedChecks: checks,
    ratioChecks: ratioTable(catalog),
    ratioSensitivity: ratioSensitivity(catalog),
    ratioTarget: RATIO_TARGET,
    fitted: { points: fitted.length, maxAbsError, tolerance: FITTED_POINT_TOLERANCE },
    withinTolerance:
      maxAbsError.prefill <= FITTED_POINT_TOLERANCE.prefill &&
      maxAbsError.decode <= FITTED_POINT_TOLERANCE.decode,
    leaveOneTpOut: loto,
    leaveOneGpuOut: logo,
    target: CROSS_VALIDATION_TARGET,
    leaveOneTpOutMeetsTarget: {
      prefill: meets(loto.filter((r) => r.kind === 'prefill')),
      decode: meets(loto.filter((r) => r.kind === 'decode')),
    },
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
const abs = (x: number) => `${(100 * x).toFixed(1)}%`;
const ms = (x: number) => x.toFixed(1);
const num = (x: number) => (x === 0 ? '0' : x.toPrecision(4));

function summaryTable(rows: ErrorSummary[]): string[] {
  return [
    '| held out | phase | points | mean abs error | worst error |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.held} | ${r.kind} | ${r.points} | ${abs(r.meanAbsError)} | ${pct(r.worstError)} |`,
    ),
  ];
}

function pointWhat(p: PointRow): string {
  if (p.kind === 'prefill') return `${p.batch} × ${p.tokens} tokens`;
  if (p.kind === 'decode') return `batch ${p.batch}, context ${p.tokens}`;
  return `${p.tokens} in, ${p.outputTokens} out`;
}

function pointLine(p: PointRow): string {
  return `| ${p.model} | ${p.gpu} | ${p.tp} | ${p.kind} | ${pointWhat(p)} | ${ms(p.measuredMs)} | ${ms(p.predictedMs)} | ${pct(p.relError)} | ${p.use}${p.reason ? ` (${p.reason})` : ''} |`;
}

function servingText(s: RatioRow['serving']): string {
  const tflops = Object.entries(s.matmul_dense_tflops)
    .map(([g, t]) => `${g} ${t}`)
    .join(', ');
  return (
    `${s.weight_bytes_per_param} byte${s.weight_bytes_per_param === 1 ? '' : 's'} per weight, ${s.kv_bytes_per_element} per KV element, matmuls at ` +
    `${tflops} dense TFLOP/s, KV in ${s.kv_free_memory_fraction} of the memory left after weights and workspace, ` +
    `decode batches up to ${s.max_decode_batch}`
  );
}

function ratioSection(rows: RatioRow[], sensitivity: RatioSensitivity[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const within = rows.filter((r) => Math.abs(r.relError) <= RATIO_TARGET).length;
  return [
    `**GPU ratios** (${first.numerator} / ${first.denominator}, ${first.model} TP${first.tp}, maximum throughput, ` +
      `published in ${first.precision}; the profiles evaluated as the runs served the model: ${servingText(first.serving)}; ${first.source}):`,
    '',
    "| input / output tokens | published ratio | profiles' ratio | error | decode batches |",
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.inputTokens} / ${r.outputTokens} | ${r.publishedRatio.toFixed(3)} | ${r.predictedRatio.toFixed(3)} | ${pct(r.relError)} | ${r.batches[0]} / ${r.batches[1]} |`,
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
        `| ${x.what} | ${x.within} of ${x.points} | ${abs(x.meanAbsError)} | ${pct(x.minError)} … ${pct(x.maxError)} |`,
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
    ...summaryTable(r.leaveOneTpOut),
    '',
    `Target: mean ≤ ${abs(r.target.meanAbsError)}, worst ≤ ${abs(r.target.worstAbsError)}. Decode: ${r.leaveOneTpOutMeetsTarget.decode ? 'met' : 'NOT met'}; prefill: ${r.leaveOneTpOutMeetsTarget.prefill ? 'met' : 'NOT met'}.`,
    '',
    '**Leave one GPU out** (refit on the other GPU, predict through the datasheet rule that gives the H200 its profile):',
    '',
    ...summaryTable(r.leaveOneGpuOut),
    '',
    `Fitted points: ${r.fitted.points}; largest error prefill ${abs(r.fitted.maxAbsError.prefill)}, decode ${abs(r.fitted.maxAbsError.decode)} ` +
      `(tolerance ${abs(r.fitted.tolerance.prefill)} / ${abs(r.fitted.tolerance.decode)}: ${r.withinTolerance ? 'met' : 'NOT met'}).`,
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
    `**Published benchmarks** (never fitted: they check the transfer to other LLMs; ${r.publishedChecks[0]?.source ?? 'none'}):`,
    '',
    ...POINT_HEADER,
    ...r.publishedChecks.map(pointLine),
    '',
    ...ratioSection(r.ratioChecks, r.ratioSensitivity),
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
