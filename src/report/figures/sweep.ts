import type { SweepGapLine, SweepSimulateLine } from '../../schema/sweepResult.ts';
import {
  CONFIG,
  type Figure,
  groupBy,
  HIGHLIGHT,
  highlightWidth,
  loadAxis,
  policyColor,
  type Row,
  SCHEMA,
  shortName,
  slug,
  valueScale,
} from './figure.ts';

/** Simulate rows that share a workload, cluster and mode: one section of the report. */
export interface ResultGroup {
  workload: string;
  cluster: string;
  mode: string;
  rows: SweepSimulateLine[];
  /** Gap cells of the same workload and cluster whose bounds hold in this mode. */
  gaps: SweepGapLine[];
}

/** Groups sorted rows (readResults order) by (workload, cluster, mode), keeping their order. */
export function groupRows(rows: readonly SweepSimulateLine[], gaps: readonly SweepGapLine[]): ResultGroup[] {
  return groupBy(rows, (r) => [r.workload, r.cluster, r.mode]).map((group) => {
    const { workload, cluster, mode } = group[0]!;
    const matching = gaps.filter((x) => x.workload === workload && x.cluster === cluster && x.mode === mode);
    return { workload, cluster, mode, rows: group, gaps: matching };
  });
}

export const groupTitle = (g: { workload: string; cluster: string; mode: string }) =>
  `${shortName(g.workload)} on ${shortName(g.cluster)} (${g.mode} mode)`;
const stem = (g: ResultGroup, what: string) => `${slug(g.workload)}-${slug(g.cluster)}-${g.mode}-${what}`;

/** Quantiles in numeric order ("0.9" before "0.95" before "0.99"), whatever the key order. */
function quantileKeys(rows: readonly SweepSimulateLine[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.required)) keys.add(k);
  return [...keys].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Required SLO scale at each quantile vs load: one line per policy, one panel per quantile. */
export function requiredScaleFigure(g: ResultGroup): Figure {
  const quantiles = quantileKeys(g.rows);
  const rows: Row[] = g.rows.flatMap((r) =>
    quantiles
      .filter((q) => r.required[q] !== undefined)
      .map((q) => ({
        policy: r.policy,
        rate_multiplier: r.rate_multiplier,
        quantile: `q = ${q}`,
        required_scale: r.required[q]!,
      })),
  );
  const title = `Required SLO scale vs load: ${groupTitle(g)}`;
  return {
    name: stem(g, 'required'),
    title,
    caption: `The smallest scale k met by a fraction q of workflows, per policy (lower is better; ${HIGHLIGHT} in red).`,
    rows,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        column: { field: 'quantile', type: 'nominal', title: null, sort: quantiles.map((q) => `q = ${q}`) },
        x: loadAxis(rows),
        y: {
          field: 'required_scale',
          type: 'quantitative',
          title: 'required SLO scale',
          scale: valueScale(rows.map((r) => r.required_scale as number)),
        },
        color: policyColor(g.rows.map((r) => r.policy)),
        strokeWidth: highlightWidth(3.5, 1.5),
      },
      config: CONFIG,
    },
  };
}

/**
 * Attainment curves (share of workflows with scale ≤ k, against k), one panel per load, with the
 * bounds of a gap cell at that load marked: no schedule's q-quantile lies left of LB.
 */
export function attainmentFigure(g: ResultGroup): Figure | null {
  const withCurve = g.rows.filter((r) => r.attainment_scales && r.attainment_scales.length > 0);
  if (withCurve.length === 0) return null;
  const loads = [...new Set(withCurve.map((r) => r.rate_multiplier))].sort((a, b) => a - b);
  const rows: Row[] = withCurve.flatMap((r) =>
    r.attainment_scales!.map((scale, i) => ({
      series: 'policy',
      policy: r.policy,
      load: `× ${r.rate_multiplier}`,
      scale,
      attainment: (i + 1) / r.attainment_scales!.length,
    })),
  );
  const bounds: Row[] = g.gaps.flatMap((x) =>
    (
      [
        ['lower bound', x.lower_bound],
        ['upper bound', x.upper_bound],
      ] as const
    )
      .filter(([, v]) => v !== null)
      .map(([bound, v]) => ({
        series: bound,
        policy: null,
        load: `× ${x.rate_multiplier}`,
        scale: v,
        attainment: x.quantile,
      })),
  );
  const all = [...rows, ...bounds];
  const scale = valueScale(all.map((r) => r.scale as number));
  const title = `Attainment vs SLO scale: ${groupTitle(g)}`;
  const x = { field: 'scale', type: 'quantitative' as const, title: 'SLO scale k', scale };
  const y = {
    field: 'attainment',
    type: 'quantitative' as const,
    title: 'attainment (share ≤ k)',
    scale: { domain: [0, 1] },
  };
  return {
    name: stem(g, 'attainment'),
    title,
    caption:
      g.gaps.length > 0
        ? `Share of workflows within scale k; black diamonds: the optimum's lower and upper bounds at q = ${g.gaps[0]!.quantile} (${g.mode} mode) from gap cells.`
        : 'Share of workflows within scale k (curves further left and higher are better).',
    rows: all,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: all },
      // Wrapped three to a row: five loads side by side would shrink the page's text.
      facet: { field: 'load', type: 'ordinal', title: 'load', sort: loads.map((m) => `× ${m}`) },
      columns: 3,
      spec: {
        width: 260,
        height: 180,
        layer: [
          {
            transform: [{ filter: "datum.series === 'policy'" }],
            mark: { type: 'line', interpolate: 'step-after' },
            encoding: {
              x,
              y,
              color: policyColor(withCurve.map((r) => r.policy)),
              strokeWidth: highlightWidth(3, 1.3),
            },
          },
          {
            transform: [{ filter: "datum.series !== 'policy'" }],
            mark: { type: 'point', shape: 'diamond', size: 90, filled: true, color: 'black' },
            encoding: { x, y, tooltip: [{ field: 'series' }, { field: 'scale' }] },
          },
        ],
      },
      config: CONFIG,
    },
  };
}

const GPU_METRICS = [
  ['prefill_utilization', 'prefill busy'],
  ['decode_slot_utilization', 'decode slots busy'],
  ['kv_occupancy_mean', 'KV occupancy (mean)'],
  ['kv_occupancy_peak', 'KV occupancy (peak)'],
] as const;

/** Per GPU type, utilization and KV occupancy vs load under one policy (hexagent when present). */
export function gpuUsageFigure(g: ResultGroup): Figure | null {
  const policy = g.rows.some((r) => r.policy === HIGHLIGHT) ? HIGHLIGHT : g.rows[0]!.policy;
  const rows: Row[] = g.rows
    .filter((r) => r.policy === policy && r.by_gpu)
    .flatMap((r) =>
      Object.entries(r.by_gpu!).flatMap(([gpu, m]) =>
        GPU_METRICS.filter(([k]) => typeof m[k] === 'number').map(([k, label]) => ({
          gpu,
          metric: label,
          rate_multiplier: r.rate_multiplier,
          fraction: m[k]!,
        })),
      ),
    );
  if (rows.length === 0) return null;
  const title = `${policy}: utilization and KV occupancy by GPU type vs load: ${groupTitle(g)}`;
  return {
    name: stem(g, 'gpu-usage'),
    title,
    caption: 'Means over each GPU type’s instances of the role that does the work; peak KV is the maximum.',
    rows,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        column: { field: 'metric', type: 'nominal', title: null, sort: GPU_METRICS.map(([, l]) => l) },
        x: loadAxis(rows),
        y: {
          field: 'fraction',
          type: 'quantitative',
          title: 'fraction',
          scale: { domain: [0, 1] },
          axis: { format: '%' },
        },
        color: { field: 'gpu', type: 'nominal', title: 'GPU' },
      },
      config: { ...CONFIG, view: { continuousWidth: 180, continuousHeight: 160 } },
    },
  };
}
