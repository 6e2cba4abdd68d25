import type { TopLevelSpec } from 'vega-lite';
import type { ProvisionSweepPoint } from '../schema/provisionSweep.ts';
import type { SweepResultLine } from '../schema/sweepResult.ts';

/** Rows that share a workload, cluster and mode: one section of the report, one pair of plots. */
export interface ResultGroup {
  workload: string;
  cluster: string;
  mode: string;
  rows: SweepResultLine[];
}

/** Groups sorted rows (readResults order) by (workload, cluster, mode), keeping their order. */
export function groupRows(rows: readonly SweepResultLine[]): ResultGroup[] {
  const groups = new Map<string, ResultGroup>();
  for (const r of rows) {
    const id = JSON.stringify([r.workload, r.cluster, r.mode]);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { workload: r.workload, cluster: r.cluster, mode: r.mode, rows: [] }));
    g.rows.push(r);
  }
  return [...groups.values()];
}

// Fixed sizes and fonts: the SVG must not depend on the machine's fonts or a canvas.
const CONFIG = {
  font: 'sans-serif',
  view: { continuousWidth: 260, continuousHeight: 180 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
} as const;

/** Quantiles in numeric order ("0.9" before "0.95" before "0.99"), whatever the key order. */
function quantileKeys(rows: readonly SweepResultLine[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.required)) keys.add(k);
  return [...keys].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Required SLO scale at each quantile vs the rate multiplier: one line per policy, one panel per
 * quantile. Lower is better; a line rising with load shows where a policy stops keeping up.
 */
export function requiredScaleSpec(group: ResultGroup): TopLevelSpec {
  const quantiles = quantileKeys(group.rows);
  const values = group.rows.flatMap((r) =>
    quantiles
      .filter((q) => r.required[q] !== undefined)
      .map((q) => ({
        policy: r.policy,
        rate_multiplier: r.rate_multiplier,
        quantile: `q = ${q}`,
        required_scale: r.required[q],
      })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Required SLO scale vs load: ${group.workload} on ${group.cluster} (${group.mode})`,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      column: { field: 'quantile', type: 'nominal', title: null, sort: quantiles.map((q) => `q = ${q}`) },
      x: { field: 'rate_multiplier', type: 'quantitative', title: 'rate multiplier (× arrival rate)' },
      y: {
        field: 'required_scale',
        type: 'quantitative',
        title: 'required SLO scale',
        scale: { zero: false },
      },
      color: { field: 'policy', type: 'nominal', title: 'policy' },
    },
    config: CONFIG,
  };
}

/** p95 and p99 SLO scale per policy, side by side, one panel per rate multiplier. */
export function tailBarSpec(group: ResultGroup): TopLevelSpec {
  const values = group.rows.flatMap((r) =>
    (['p95', 'p99'] as const).map((metric) => ({
      policy: r.policy,
      load: `× ${r.rate_multiplier}`,
      rate_multiplier: r.rate_multiplier,
      metric,
      scale: r[metric],
    })),
  );
  const loads = [...new Set(group.rows.map((r) => r.rate_multiplier))].sort((a, b) => a - b);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `p95 / p99 SLO scale by policy: ${group.workload} on ${group.cluster} (${group.mode})`,
    data: { values },
    mark: 'bar',
    encoding: {
      column: { field: 'load', type: 'ordinal', title: 'rate multiplier', sort: loads.map((m) => `× ${m}`) },
      x: { field: 'policy', type: 'nominal', title: null },
      xOffset: { field: 'metric', type: 'nominal' },
      y: { field: 'scale', type: 'quantitative', title: 'SLO scale' },
      color: { field: 'metric', type: 'nominal', title: 'quantile' },
    },
    config: CONFIG,
  };
}

/**
 * Cost versus load from `provision --sweep-rates`: the verified mix's cost and the LP lower
 * bound per rate multiplier (the table beside it says which points were verified).
 */
export function provisionCostSpec(points: readonly ProvisionSweepPoint[]): TopLevelSpec {
  const values = points.flatMap((p) =>
    (
      [
        ['verified mix', p.cost_per_hour],
        ['LP bound', p.lp_cost_per_hour],
      ] as const
    )
      .filter(([, v]) => v !== null)
      .map(([series, cost]) => ({
        series,
        rate_multiplier: p.rate_multiplier,
        cost_per_hour: cost,
      })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Provisioning cost vs load',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate_multiplier', type: 'quantitative', title: 'rate multiplier (× arrival rate)' },
      y: { field: 'cost_per_hour', type: 'quantitative', title: 'cost ($/h)' },
      color: { field: 'series', type: 'nominal', title: null, sort: ['verified mix', 'LP bound'] },
    },
    config: CONFIG,
  };
}
