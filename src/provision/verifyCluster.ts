import { makeScenario } from '../scenario/scenario.ts';
import type { Cluster } from '../schema/cluster.ts';
import type { SimMode } from '../schema/simMode.ts';
import type { Workload } from '../schema/workload.ts';
import { DEFAULT_PREFILL_TOKEN_BUDGET, simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import type { ProvisionSetup } from './offers.ts';

/** How a candidate cluster is verified: `hexplan simulate -w W -c C --policy P --mode M`. */
export interface Verifier {
  mode: SimMode;
  policy: string;
  quantile: number;
}

/** Required scale at the quantile of one simulation. */
export function simulatedScaleIn(
  workload: Workload,
  cluster: Cluster,
  setup: Pick<ProvisionSetup, 'catalog'>,
  verifier: Verifier,
  mode: SimMode = verifier.mode,
): number {
  const scenario = makeScenario(workload, cluster, { catalog: setup.catalog });
  const run = simulate(scenario, verifier.policy, { mode, prefillTokenBudget: DEFAULT_PREFILL_TOKEN_BUDGET });
  return requiredScale(run.scales, verifier.quantile);
}

export interface SimulatedScale {
  /** Required scale at the quantile in the verifier's mode: what "meets the target" checks. */
  scale: number;
  /** Exact and realistic mode, for the report; null where not simulated. */
  exact: number | null;
  realistic: number | null;
}

/** The verdict's scale, and the other mode's too when `both` (for answers, not for the search). */
export function simulatedScale(
  workload: Workload,
  cluster: Cluster,
  setup: Pick<ProvisionSetup, 'catalog'>,
  verifier: Verifier,
  both = false,
): SimulatedScale {
  const scale = simulatedScaleIn(workload, cluster, setup, verifier);
  const other: SimMode = verifier.mode === 'exact' ? 'realistic' : 'exact';
  const otherScale = both ? simulatedScaleIn(workload, cluster, setup, verifier, other) : null;
  return verifier.mode === 'exact'
    ? { scale, exact: scale, realistic: otherScale }
    : { scale, exact: otherScale, realistic: scale };
}
