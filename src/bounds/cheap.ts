import type { CheapBound } from '../objective/objective.ts';
import { getObjective } from '../objective/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Objective } from '../schema/plan.ts';

export type { CheapBound };

import { makespanCapacityBound, quantileCapacityBound } from './capacity.ts';
import { type CallFloors, callFloors, RESOURCE_NAMES } from './floors.ts';

/**
 * Every cheap bound of the objective (DESIGN.md "Bounds for big instances"), near-linear in
 * the number of calls so they stay available at 100k calls.
 *
 * critical-path: each workflow's exact-mode critical path P_w (tool delays + each call's
 * fastest prefill + transfer + exact-mode decode) is a floor on its latency, so
 * scale_w ≥ P_w / s_w =: lb_w; each objective turns these into its own floor (its
 * `cheapBounds` in src/objective/). Capacity bounds: capacity.ts.
 */
export function cheapBounds(
  scenario: Scenario,
  objective: Objective,
  quantile: number,
  floors: CallFloors = callFloors(scenario),
): CheapBound[] {
  return getObjective(objective).cheapBounds(
    {
      workflows: scenario.workload.workflows,
      standaloneS: scenario.standaloneS,
      pathS: floors.workflowPathS,
      quantileCapacity: (q) =>
        RESOURCE_NAMES.map((r) => ({ value: quantileCapacityBound(scenario, floors, r, q), source: r })),
      makespanCapacity: () =>
        RESOURCE_NAMES.map((r) => ({ value: makespanCapacityBound(floors, r), source: r })),
    },
    quantile,
  );
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
