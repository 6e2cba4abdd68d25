import type { ProvisionSweepPoint } from '../../schema/provisionSweep.ts';
import type { SweepProvisionLine } from '../../schema/sweepResult.ts';
import { CONFIG, type Figure, loadAxis, type Row, SCHEMA, shortName, slug, valueScale } from './figure.ts';

/** A provisioning target: the workload and the SLO it must meet. */
export interface ProvisionTarget {
  workload: string | null;
  quantile: number | null;
  scale: number | null;
}

export const targetText = (t: ProvisionTarget) =>
  `${t.workload ? shortName(t.workload) : 'workload not recorded'}; target: ${
    t.quantile !== null && t.scale !== null
      ? `${t.quantile * 100}% of workflows within ${t.scale}× their standalone time`
      : 'not recorded'
  }`;

/** Provision cells grouped by workload and target: cost vs load each. */
export function provisionCellFigures(
  lines: readonly SweepProvisionLine[],
): Array<{ target: ProvisionTarget; figure: Figure; lines: SweepProvisionLine[] }> {
  const groups = new Map<string, SweepProvisionLine[]>();
  for (const l of lines) {
    const id = JSON.stringify([l.workload, l.quantile, l.scale]);
    groups.set(id, [...(groups.get(id) ?? []), l]);
  }
  return [...groups.values()].map((ls) => {
    const target = { workload: ls[0]!.workload, quantile: ls[0]!.quantile, scale: ls[0]!.scale };
    const homogeneous = (l: SweepProvisionLine) =>
      ((l.homogeneous as Array<{ gpu: string; cost_per_hour: number | null }> | undefined) ?? []).filter(
        (h) => h.cost_per_hour !== null,
      );
    const rows: Row[] = ls.flatMap((l) => [
      { series: 'verified mix', rate_multiplier: l.rate_multiplier, cost_per_hour: l.cost_per_hour },
      ...(l.lp_cost_per_hour !== null
        ? [
            {
              series: 'cost floor (LP bound)',
              rate_multiplier: l.rate_multiplier,
              cost_per_hour: l.lp_cost_per_hour,
            },
          ]
        : []),
      ...homogeneous(l).map((h) => ({
        series: `homogeneous ${h.gpu}`,
        rate_multiplier: l.rate_multiplier,
        cost_per_hour: h.cost_per_hour,
      })),
    ]);
    const figure = costFigure(
      `${slug(target.workload)}-q${target.quantile}-k${target.scale}-cost`,
      rows,
      target,
    );
    return { target, figure, lines: ls };
  });
}

/** Points of `provision --sweep-rates --json` as a figure. */
export function provisionSweepFigure(
  points: readonly ProvisionSweepPoint[],
  target: ProvisionTarget,
): Figure {
  const rows: Row[] = points.flatMap((p) =>
    (
      [
        ['verified mix', p.cost_per_hour],
        ['cost floor (LP bound)', p.lp_cost_per_hour],
      ] as const
    )
      .filter(([, v]) => v !== null)
      .map(([series, cost]) => ({ series, rate_multiplier: p.rate_multiplier, cost_per_hour: cost })),
  );
  return costFigure('provision-cost', rows, target);
}

function costFigure(name: string, rows: Row[], target: ProvisionTarget): Figure {
  const title = `Provisioning cost vs load: ${target.workload ? shortName(target.workload) : 'workload'}`;
  const series = [...new Set(rows.map((r) => r.series as string))];
  return {
    name,
    title,
    caption: `${targetText(target)}. The LP bound is a floor under the MILP's cost at its utilization cap; the verified mix met the target in simulation.`,
    rows,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: rows },
      mark: { type: 'line', point: true },
      encoding: {
        x: loadAxis(rows),
        y: {
          field: 'cost_per_hour',
          type: 'quantitative',
          title: 'cost ($/h)',
          scale: valueScale(rows.map((r) => r.cost_per_hour as number)),
        },
        color: { field: 'series', type: 'nominal', title: null, sort: series },
        strokeDash: {
          condition: { test: "indexof(datum.series, 'floor') >= 0", value: [6, 4] },
          value: [1, 0],
        },
      },
      config: CONFIG,
    },
  };
}

/** `{"H100": {"prefill": 2, "decode": 3}}` → `H100: 2 prefill + 3 decode`. */
export function mixText(counts: Record<string, Record<string, number>> | null | undefined): string {
  if (!counts) return '';
  return Object.entries(counts)
    .map(
      ([gpu, roles]) =>
        `${gpu}: ${Object.entries(roles)
          .map(([role, n]) => `${n} ${role}`)
          .join(' + ')}`,
    )
    .join('; ');
}
