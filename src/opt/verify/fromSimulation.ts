import type { Scenario } from '../../scenario.ts';
import { type Objective, PLAN_SCHEMA, type Plan } from '../../schema/plan.ts';
import type { SimResult } from '../../sim/types.ts';

/**
 * An exact-mode simulation's schedule as a plan (assignments and start times), so the
 * verifier can check the simulator too, and so a policy's schedule can be replayed.
 */
export function planFromSimulation(
  scenario: Scenario,
  result: SimResult,
  objective: Objective,
  quantile: number,
  reportedObjective: number | null = null,
): Plan {
  const ids = scenario.cost.instances.map((i) => i.id);
  const t = result.trace;
  const calls: Plan['calls'] = [];
  let g = 0;
  for (const wf of scenario.workload.workflows) {
    for (const c of wf.calls) {
      calls.push({
        workflow: wf.id,
        call: c.id,
        prefill_instance: ids[t.prefillInstance[g]!] ?? `#${t.prefillInstance[g]}`,
        decode_instance: ids[t.decodeInstance[g]!] ?? `#${t.decodeInstance[g]}`,
        prefill_start_s: t.prefillStartS[g]!,
        decode_start_s: t.decodeStartS[g]!,
      });
      g++;
    }
  }
  return {
    schema: PLAN_SCHEMA,
    objective,
    quantile,
    reported: {
      status: 'feasible',
      objective: reportedObjective,
      lower_bound: null,
      solver: `policy:${result.policy}`,
    },
    calls,
  };
}
