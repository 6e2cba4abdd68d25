import { simulate } from '../../../sim/simulate.ts';
import type { SimMetrics } from '../../../sim/types.ts';
import { requiredScale } from '../../../slo/quantile.ts';
import type { SimulateCell } from '../cells.ts';
import type { ScenarioCache } from '../scenarioCache.ts';

/** Points of the attainment curve on each line: the required scale at q = 1%, 2%, …, 100%. */
export const ATTAINMENT_POINTS = 100;

/** A simulate cell's fields (src/schema/sweepResult.ts SweepSimulateLine). */
export function runSimulateCell(cell: SimulateCell, cache: ScenarioCache): Record<string, unknown> {
  const scenario = cache.scenario(cell);
  const result = simulate(scenario, cell.policy, { mode: cell.mode, policyOptions: cell.policyOptions });
  const m = result.metrics;
  const required: Record<string, number> = {};
  for (const q of cell.quantiles) required[String(q)] = requiredScale(result.scales, q);
  const curve: number[] = [];
  for (let i = 1; i <= ATTAINMENT_POINTS; i++)
    curve.push(requiredScale(result.scales, i / ATTAINMENT_POINTS));
  return {
    workload: cell.workload,
    cluster: cell.cluster,
    policy: cell.policy,
    mode: cell.mode,
    rate_multiplier: cell.rateMultiplier,
    policy_options: cell.policyOptions,
    workflows: m.workflows,
    calls: m.calls,
    p50: m.p50,
    p95: m.p95,
    p99: m.p99,
    mean: m.mean,
    required,
    makespan_s: m.makespan_s,
    attainment_scales: curve,
    by_gpu: byGpu(m.instances),
    cost_per_hour: scenario.cost.instances.reduce((s, i) => s + i.profile.price_per_hour, 0),
  };
}

/**
 * Means over each GPU type's instances of the roles that do the work (prefill utilization over
 * prefill-capable instances, decode and KV over decode-capable ones), KV peak as the maximum.
 */
function byGpu(instances: SimMetrics['instances']): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  for (const gpu of [...new Set(instances.map((i) => i.gpu))].sort()) {
    const all = instances.filter((i) => i.gpu === gpu);
    const prefill = all.filter((i) => i.role !== 'decode');
    const decode = all.filter((i) => i.role !== 'prefill');
    out[gpu] = {
      instances: all.length,
      prefill_utilization: mean(prefill.map((i) => i.prefill_utilization)),
      decode_slot_utilization: mean(decode.map((i) => i.decode_slot_utilization)),
      kv_occupancy_mean: mean(decode.map((i) => i.kv_occupancy_mean)),
      kv_occupancy_peak: decode.length === 0 ? null : Math.max(...decode.map((i) => i.kv_occupancy_peak)),
    };
  }
  return out;
}
