import type { Scenario } from '../scenario/scenario.ts';
import type { Objective } from '../schema/plan.ts';
import { requiredRank } from '../slo/quantile.ts';
import { makespanCapacityBound, quantileCapacityBound } from './capacity.ts';
import { type CallFloors, callFloors, RESOURCE_NAMES } from './floors.ts';

/** A lower bound on the optimum of an objective, valid for every exact-mode schedule. */
export interface CheapBound {
  value: number;
  /** Which argument gave it: `critical-path`, `prefill-capacity`, `kv-capacity`, … */
  source: string;
}

/**
 * Every cheap bound of the objective (docs/concepts.md "Bounds for big instances"), near-linear in
 * the number of calls so they stay available at 100k calls.
 *
 * critical-path: each workflow's exact-mode critical path P_w (tool delays + each call's
 * fastest prefill + transfer + exact-mode decode) is a floor on its latency, so
 * scale_w ≥ P_w / s_w =: lb_w. At least r = ⌈q·W⌉ workflows have scale ≤ k*, each with
 * lb_w ≤ k*, hence the r-th smallest lb_w ≤ k*. Makespan ≥ max_w a_w + P_w; mean scale ≥
 * mean lb_w; tardiness ≥ Σ max(0, P_w − deadline_w). Capacity bounds: capacity.ts.
 */
export function cheapBounds(
  scenario: Scenario,
  objective: Objective,
  quantile: number,
  floors: CallFloors = callFloors(scenario),
): CheapBound[] {
  const flows = scenario.workload.workflows;
  const s = scenario.standaloneS;
  const P = floors.workflowPathS;
  const W = flows.length;
  switch (objective) {
    case 'quantile-scale': {
      const lb = Float64Array.from(flows, (_, w) => P[w]! / s[w]!).sort();
      return [
        { value: 1, source: 'standalone' },
        { value: lb[requiredRank(W, quantile) - 1]!, source: 'critical-path' },
        ...RESOURCE_NAMES.map((r) => ({
          value: quantileCapacityBound(scenario, floors, r, quantile),
          source: r,
        })),
      ];
    }
    case 'makespan':
      return [
        { value: Math.max(...flows.map((wf, w) => wf.arrival_s + P[w]!)), source: 'critical-path' },
        ...RESOURCE_NAMES.map((r) => ({ value: makespanCapacityBound(floors, r), source: r })),
      ];
    case 'mean-scale':
      return [
        { value: 1, source: 'standalone' },
        { value: flows.reduce((sum, _, w) => sum + P[w]! / s[w]!, 0) / W, source: 'critical-path' },
      ];
    case 'weighted-tardiness':
      return [
        {
          value: flows.reduce(
            (sum, wf, w) => (wf.deadline_s === undefined ? sum : sum + Math.max(0, P[w]! - wf.deadline_s)),
            0,
          ),
          source: 'critical-path',
        },
      ];
  }
}

/** The strongest cheap bound and the argument that gave it (ties: the first listed). */
export function bestCheapBound(
  scenario: Scenario,
  objective: Objective,
  quantile: number,
  floors?: CallFloors,
): CheapBound & { all: CheapBound[] } {
  const all = cheapBounds(scenario, objective, quantile, floors);
  let best = all[0]!;
  for (const b of all) if (b.value > best.value) best = b;
  return { ...best, all };
}
