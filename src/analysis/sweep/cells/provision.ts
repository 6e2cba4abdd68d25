import { loadProvisionSetup } from '../../../provision/offers.ts';
import { provision } from '../../../provision/provision.ts';
import type { MixedTimeshare } from '../../../schema/cluster.ts';
import type { Cell, ProvisionCell } from '../cells.ts';
import type { StaleLine } from '../resume.ts';
import type { ScenarioCache } from '../scenarioCache.ts';

/** A provision cell's fields (src/schema/sweepResult.ts SweepProvisionLine): the one adapter to src/provision/. */
export async function runProvisionCell(
  cell: ProvisionCell,
  cache: ScenarioCache,
): Promise<Record<string, unknown>> {
  const p = cell.provision;
  const { report } = await provision(cache.workload(cell.workloadPath), {
    quantile: p.quantile,
    scale: p.scale,
    rateMultiplier: cell.rateMultiplier,
    baselines: p.baselines,
    workloadName: cell.workload,
    ...(cell.catalogPath ? { catalogFile: cell.catalogPath } : {}),
    ...(p.time_limit_s !== undefined ? { timeLimitS: p.time_limit_s } : {}),
    ...(p.mixed_timeshare !== undefined ? { mixedTimeShare: p.mixed_timeshare } : {}),
  });
  return {
    workload: cell.workload,
    catalog: cell.catalog,
    rate_multiplier: cell.rateMultiplier,
    quantile: p.quantile,
    scale: p.scale,
    verified: report.verified,
    stop_reason: report.stop_reason,
    counts: report.counts,
    gpus: report.gpus,
    cost_per_hour: report.cost_per_hour,
    milp_cost_per_hour: report.milp_cost_per_hour,
    lp_cost_per_hour: report.lp_cost_per_hour,
    simulated_scale: report.simulated.scale,
    realistic_scale: report.simulated.realistic_scale,
    mixed_timeshare: report.simulated.mixed_timeshare,
    iterations: report.iterations.length,
    homogeneous: report.homogeneous.map((h) => ({
      gpu: h.gpu,
      gpus: h.gpus,
      cost_per_hour: h.cost_per_hour,
      simulated_scale: h.simulated_scale,
    })),
  };
}

/**
 * Lines of provision cells that ran with another `mixed_timeshare` than the cell would now: a
 * grid that leaves it to the catalog keys its cells as before the catalog's default changed,
 * so an older results file would otherwise resume with clusters simulated another way.
 * (Lines from before the field was recorded ran side by side.) A grid's provision cells share
 * one section and one catalog, so one value is expected of all; the catalog is read only if a
 * provision line is there to judge.
 */
export function staleProvisionLines(cells: readonly Cell[]): StaleLine {
  const provisionCells = cells.filter((c): c is ProvisionCell => c.kind === 'provision');
  const keys = new Set(provisionCells.map((c) => c.key));
  let expected: MixedTimeshare | undefined;
  const expectedValue = (cell: ProvisionCell) =>
    cell.provision.mixed_timeshare ?? loadProvisionSetup(cell.catalogPath ?? undefined).mixedTimeshare;
  return (key, line) => {
    if (!keys.has(key)) return false;
    expected ??= expectedValue(provisionCells[0]!);
    return (line.mixed_timeshare ?? false) !== expected;
  };
}
