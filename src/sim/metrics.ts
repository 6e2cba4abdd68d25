import type { Scenario } from '../scenario/scenario.ts';
import { attainment, mean, median } from '../slo/attainment.ts';
import { requiredScale } from '../slo/quantile.ts';
import type { InstanceMetrics, SimMetrics, SimResult } from './types.ts';

/**
 * The metrics of one run: required scale at 50/95/99 %, mean/median/max scale, goodput at a
 * scale, and per-instance utilization and KV occupancy over the makespan (first arrival is
 * time 0 of the workload, so makespan = the last finish).
 */
export function summarize(
  result: Pick<SimResult, 'scales' | 'finishS' | 'usage' | 'mode'>,
  scenario: Scenario,
  options: { goodputScale?: number } = {},
): SimMetrics {
  const scales = result.scales;
  const goodputScale = options.goodputScale ?? 2;
  let makespan = 0;
  for (let w = 0; w < result.finishS.length; w++) makespan = Math.max(makespan, result.finishS[w]!);
  let max = 0;
  for (let w = 0; w < scales.length; w++) max = Math.max(max, scales[w]!);
  const att = attainment(scales, goodputScale);
  const u = result.usage;
  const span = makespan > 0 ? makespan : 1;
  const instances: InstanceMetrics[] = scenario.cost.instances.map((inst) => {
    const i = inst.index;
    return {
      id: inst.id,
      gpu: inst.gpu,
      role: inst.role,
      prefill_utilization: inst.canPrefill ? u.prefillBusyS[i]! / span : 0,
      decode_slot_utilization: inst.canDecode ? u.decodeSeqS[i]! / span / inst.decodeSlots : 0,
      decode_busy_fraction: inst.canDecode ? u.decodeBusyS[i]! / span : 0,
      kv_occupancy_mean: inst.canDecode ? u.kvTokenS[i]! / span / inst.kvCapacityTokens : 0,
      kv_occupancy_peak: inst.canDecode ? u.kvPeakTokens[i]! / inst.kvCapacityTokens : 0,
    };
  });
  return {
    workflows: scales.length,
    calls: scenario.workload.workflows.reduce((s, wf) => s + wf.calls.length, 0),
    p50: requiredScale(scales, 0.5),
    p95: requiredScale(scales, 0.95),
    p99: requiredScale(scales, 0.99),
    mean: mean(scales),
    median: median(scales),
    max,
    makespan_s: makespan,
    goodput_scale: goodputScale,
    goodput_workflows_per_s: makespan > 0 ? (att * scales.length) / makespan : 0,
    attainment_at_goodput_scale: att,
    instances,
  };
}
