import type { SweepGapLine } from '../../schema/sweepResult.ts';
import {
  CONFIG,
  type Figure,
  groupBy,
  highlightWidth,
  policyColor,
  type Row,
  SCHEMA,
  shortName,
  slug,
  valueScale,
} from './figure.ts';

/** Gap cells grouped by workload, cluster and mode: one bar chart each, one panel per load. */
export function gapFigures(gaps: readonly SweepGapLine[]): Figure[] {
  return groupBy(gaps, (g) => [g.workload, g.cluster, g.mode]).map(gapFigure);
}

function gapFigure(cells: SweepGapLine[]): Figure {
  const first = cells[0]!;
  const loads = [...new Set(cells.map((c) => c.rate_multiplier))].sort((a, b) => a - b);
  const load = (m: number) => `× ${m}`;
  const bars: Row[] = cells.flatMap((c) =>
    c.policies.map((p) => ({
      series: 'policy',
      policy: p.name,
      load: load(c.rate_multiplier),
      scale: p.scale,
    })),
  );
  const rules: Row[] = cells.flatMap((c) =>
    (
      [
        ['lower bound', c.lower_bound, c.lower_bound_source],
        ['upper bound', c.upper_bound, c.upper_bound_source],
      ] as const
    )
      .filter(([, v]) => v !== null)
      .map(([series, v, source]) => ({
        series,
        policy: null,
        load: load(c.rate_multiplier),
        scale: v,
        source,
      })),
  );
  const rows = [...bars, ...rules];
  const what = `${shortName(first.workload)} on ${shortName(first.cluster)}`;
  const title = `Each policy vs the optimum's bounds at q = ${first.quantile} (${first.mode} mode): ${what}`;
  const y = {
    field: 'scale',
    type: 'quantitative' as const,
    title: `required SLO scale at q = ${first.quantile}`,
    scale: valueScale(rows.map((r) => r.scale as number)),
    // Bars stack from 0 by default, which would hide differences of a few percent near scale 1.
    stack: null,
  };
  return {
    name: `${slug(first.workload)}-${slug(first.cluster)}-${first.mode}-gap`,
    title,
    caption:
      'Bars: each policy’s required scale; solid line: the lower bound (no schedule does better), dashed: the best verified schedule (upper bound on the optimum).',
    rows,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: rows },
      facet: { field: 'load', type: 'ordinal', title: 'load', sort: loads.map(load) },
      columns: 3,
      spec: {
        width: { step: 22 },
        layer: [
          {
            transform: [{ filter: "datum.series === 'policy'" }],
            mark: { type: 'bar', stroke: 'black' },
            encoding: {
              x: { field: 'policy', type: 'nominal', title: null },
              y,
              color: policyColor(bars.map((b) => b.policy as string)),
              strokeWidth: highlightWidth(2, 0),
            },
          },
          {
            transform: [{ filter: "datum.series !== 'policy'" }],
            mark: { type: 'rule', color: 'black', strokeWidth: 2 },
            encoding: {
              y,
              strokeDash: {
                field: 'series',
                type: 'nominal',
                title: 'optimum',
                scale: {
                  domain: ['lower bound', 'upper bound'],
                  range: [
                    [1, 0],
                    [6, 4],
                  ],
                },
              },
            },
          },
        ],
      },
      config: CONFIG,
    },
  };
}
