import { runGap } from '../../gap.ts';
import type { GapCell } from '../cells.ts';
import type { ScenarioCache } from '../scenarioCache.ts';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** A gap cell's fields (src/schema/sweepResult.ts SweepGapLine): the one adapter to src/analysis/gap.ts. */
export async function runGapCell(cell: GapCell, cache: ScenarioCache): Promise<Record<string, unknown>> {
  const scenario = cache.scenario(cell);
  const report = await runGap(scenario, {
    quantile: cell.gap.quantile,
    solver: 'highs',
    timeLimitS: cell.gap.time_limit_s,
    ...(cell.gap.policies ? { policies: cell.gap.policies } : {}),
  });
  const o = report.optimum;
  return {
    workload: cell.workload,
    cluster: cell.cluster,
    rate_multiplier: cell.rateMultiplier,
    mode: cell.gap.mode,
    quantile: report.quantile,
    time_limit_s: cell.gap.time_limit_s,
    workflows: report.workflows,
    calls: report.calls,
    status: o.status,
    lower_bound: finiteOrNull(o.lower_bound),
    lower_bound_source: o.lower_bound_source,
    upper_bound: finiteOrNull(o.upper_bound),
    upper_bound_source: o.upper_bound_source,
    policies: report.policies.map((p) => ({
      name: p.name,
      scale: p.scale,
      gap_upper_pct: finiteOrNull(p.gap_upper_pct),
      gap_lower_pct: finiteOrNull(p.gap_lower_pct),
      verified: p.verified,
    })),
  };
}
