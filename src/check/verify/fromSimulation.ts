import { type Objective, PLAN_SCHEMA, type Plan } from '../../schema/plan.ts';
import { callRecords } from '../../sim/records.ts';
import type { SimResult } from '../../sim/types.ts';

/**
 * An exact-mode simulation's schedule as a plan (assignments and start times), so the
 * verifier can check the simulator too, and so a policy's schedule can be replayed.
 */
export function planFromSimulation(
  result: SimResult,
  objective: Objective,
  quantile: number,
  reportedObjective: number | null = null,
): Plan {
  const calls: Plan['calls'] = callRecords(result).map((r) => ({
    workflow: r.workflow,
    call: r.call,
    prefill_instance: r.prefill_instance,
    decode_instance: r.decode_instance,
    prefill_start_s: r.prefill_start_s,
    decode_start_s: r.decode_start_s,
  }));
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
