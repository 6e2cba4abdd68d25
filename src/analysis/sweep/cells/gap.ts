import { runGap } from '../../gap.ts';
import { runRealisticGap } from '../../realisticGap.ts';
import type { GapCell } from '../cells.ts';
import type { ScenarioCache } from '../scenarioCache.ts';

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * A gap cell's fields (src/schema/sweepResult.ts SweepGapLine): the one adapter to
 * src/analysis/gap.ts (exact mode) and src/analysis/realisticGap.ts (realistic mode, the
 * default). Nothing here depends on the clock unless a time limit cuts an LP short, which the
 * line's `lp_solves` statuses then show; wall times go to the sweep's timings file.
 */
export async function runGapCell(cell: GapCell, cache: ScenarioCache): Promise<Record<string, unknown>> {
  const scenario = cache.scenario(cell);
  const head = {
    workload: cell.workload,
    cluster: cell.cluster,
    rate_multiplier: cell.rateMultiplier,
    mode: cell.gap.mode,
    quantile: cell.gap.quantile,
    time_limit_s: cell.gap.time_limit_s,
  };
  const options = {
    quantile: cell.gap.quantile,
    solver: 'highs' as const,
    timeLimitS: cell.gap.time_limit_s,
    ...(cell.gap.policies ? { policies: cell.gap.policies } : {}),
  };
  if (cell.gap.mode === 'realistic') {
    const report = await runRealisticGap(scenario, { ...options, seed: cell.gap.seed });
    const o = report.optimum;
    return {
      ...head,
      seed: cell.gap.seed,
      workflows: report.workflows,
      calls: report.calls,
      status: o.status,
      lower_bound: o.lower_bound,
      lower_bound_source: o.lower_bound_source,
      upper_bound: o.upper_bound,
      upper_bound_source: o.upper_bound_source,
      critical_path_bound: o.critical_path_bound,
      search_evaluations: o.search_evaluations,
      lp_solves: o.lp_solves.map((s) => ({ k: s.k, status: s.status, met: s.met, impossible: s.impossible })),
      policies: report.policies,
      notes: report.notes,
    };
  }
  const report = await runGap(scenario, options);
  const o = report.optimum;
  return {
    ...head,
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
