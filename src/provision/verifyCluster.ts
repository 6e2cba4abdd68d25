import { makeScenario } from '../scenario/scenario.ts';
import type { Cluster } from '../schema/cluster.ts';
import type { Workload } from '../schema/workload.ts';
import { simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import type { ProvisionSetup } from './offers.ts';

export interface SimulatedScale {
  /** Required scale at the quantile in exact mode (the planner's model): what "verified" checks. */
  exact: number;
  /** The same in realistic mode, reported beside it. */
  realistic: number | null;
}

/**
 * Simulates the workload on a cluster with hexagent at its default options, exactly as
 * `hexplan simulate -w W -c CLUSTER --policy hexagent` would, so the verdict can be reproduced
 * from the saved cluster file.
 */
export function simulatedScale(
  workload: Workload,
  cluster: Cluster,
  setup: Pick<ProvisionSetup, 'catalog'>,
  quantile: number,
  realistic = true,
): SimulatedScale {
  const scenario = makeScenario(workload, cluster, { catalog: setup.catalog });
  const exact = requiredScale(simulate(scenario, 'hexagent', { mode: 'exact' }).scales, quantile);
  const real = realistic
    ? requiredScale(simulate(scenario, 'hexagent', { mode: 'realistic' }).scales, quantile)
    : null;
  return { exact, realistic: real };
}
