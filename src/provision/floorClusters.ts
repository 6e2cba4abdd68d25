import { criticalPathScale, decideWholeLp } from '../bounds/realisticBound.ts';
import { realisticFloors } from '../bounds/realisticFloors.ts';
import { buildRealisticLp } from '../bounds/realisticLp.ts';
import { HexplanError } from '../errors.ts';
import { makeScenario } from '../scenario/scenario.ts';
import { requiredRank } from '../slo/quantile.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { buildProvisionedCluster } from './cluster.ts';
import type { PlanContext } from './context.ts';
import { nextAchievableCost, PRICE_UNIT } from './floor.ts';

/**
 * Lifting the cost floor cluster by cluster (docs/provision.md, "Lifting the floor"). The
 * relaxation of floor.ts proves that no catalog cluster costing less than F meets the target;
 * the clusters costing exactly F are finitely many. Each that the realistic gap's LP, on that
 * cluster itself (its own standalone times, CLUSTER_LP_INTERVALS intervals), proves unable to
 * reach k is out; when every one of them is, no cluster costs less than the next catalog cost
 * above F, which becomes the floor, and so on, until a cluster cannot be ruled out, the
 * answer's cost is reached, or the LP allowance is spent.
 */
export interface LiftOptions {
  quantile: number;
  scale: number;
  /** The cheapest verified cluster's cost: no need to lift beyond it. */
  below: number;
  /** At most this many cluster LPs (a count, not a time, so the result is the machine's own). */
  maxLps?: number;
  solver?: SolverName;
  /** Seconds per cluster LP; one that stops early proves nothing and ends the lift. */
  timeLimitS?: number;
  /** Told before each cluster is tried (progress). */
  onProgress?: (message: string) => void;
}

export interface LiftedFloor {
  costPerHour: number;
  /** Clusters proven unable to reach k. */
  ruledOut: number;
  /** Why the lift stopped. */
  stop:
    | 'cluster not ruled out'
    | 'an LP stopped early'
    | 'reached the answer'
    | 'LP allowance spent'
    | 'no higher catalog cost';
}

const DEFAULT_MAX_LPS = 12;
const CLUSTER_LP_INTERVALS = 12;
const CLUSTER_LP_LIMIT_S = 60;

export async function liftFloor(
  ctx: PlanContext,
  floorCost: number,
  options: LiftOptions,
): Promise<LiftedFloor> {
  const maxLps = options.maxLps ?? DEFAULT_MAX_LPS;
  let level = floorCost;
  let lps = 0;
  let ruledOut = 0;
  while (level < options.below - 1e-9) {
    const clusters = clustersCosting(ctx, Math.round(level * PRICE_UNIT));
    for (const counts of clusters) {
      if (lps >= maxLps) return { costPerHour: level, ruledOut, stop: 'LP allowance spent' };
      options.onProgress?.(
        `a cluster at $${level.toFixed(2)}/h (${ruledOut} ruled out, ${lps} of ${maxLps} LPs)`,
      );
      const verdict = await ruledOutAtScale(ctx, counts, options);
      if (verdict.solvedLp) lps++;
      if (verdict.ruledOut === null) return { costPerHour: level, ruledOut, stop: 'an LP stopped early' };
      if (!verdict.ruledOut) return { costPerHour: level, ruledOut, stop: 'cluster not ruled out' };
      ruledOut++;
    }
    const next = nextAchievableCost(ctx, ctx.purchasable, level + 1 / PRICE_UNIT, false);
    if (next === null) return { costPerHour: level, ruledOut, stop: 'no higher catalog cost' };
    level = next;
  }
  return { costPerHour: level, ruledOut, stop: 'reached the answer' };
}

/**
 * Every count vector over the instance types whose prices add up to exactly `priceUnits`,
 * within availability, holding a prefill and a decode instance (a cluster without one runs
 * nothing and meets nothing).
 */
export function clustersCosting(ctx: PlanContext, priceUnits: number): number[][] {
  const types = ctx.demand.table.types.filter((t) => ctx.purchasable.includes(t.gpu));
  const all = ctx.demand.table.types.length;
  const price = types.map((t) => Math.round(t.costPerHour * PRICE_UNIT));
  const limit = new Map(ctx.setup.gpus.map((g) => [g.name, g.availableGpus ?? Number.POSITIVE_INFINITY]));
  const used = new Map<string, number>();
  const counts = new Array<number>(all).fill(0);
  const out: number[][] = [];
  const walk = (i: number, left: number) => {
    if (left === 0) {
      const has = (f: (t: (typeof types)[number]) => boolean) =>
        types.some((t) => counts[t.index]! > 0 && f(t));
      if (has((t) => t.canPrefill) && has((t) => t.canDecode)) out.push([...counts]);
      return;
    }
    if (i === types.length) return;
    const t = types[i]!;
    for (let n = 0; n * price[i]! <= left; n++) {
      const gpus = (used.get(t.gpu) ?? 0) + n * t.tp;
      if (gpus > limit.get(t.gpu)!) break;
      counts[t.index] = n;
      used.set(t.gpu, gpus);
      walk(i + 1, left - n * price[i]!);
      used.set(t.gpu, gpus - n * t.tp);
    }
    counts[t.index] = 0;
  };
  walk(0, priceUnits);
  return out;
}

/**
 * Whether no realistic schedule on the cluster reaches k (null: its LP stopped early and proved
 * nothing), and whether an LP was solved to say so.
 */
async function ruledOutAtScale(
  ctx: PlanContext,
  counts: number[],
  options: LiftOptions,
): Promise<{ ruledOut: boolean | null; solvedLp: boolean }> {
  const cheap = { ruledOut: true, solvedLp: false };
  const cluster = buildProvisionedCluster(ctx.demand.table.types, counts, ctx.setup);
  let scenario: ReturnType<typeof makeScenario>;
  try {
    scenario = makeScenario(ctx.workload, cluster, { catalog: ctx.setup.catalog });
  } catch (e) {
    if (e instanceof HexplanError) return cheap; // it cannot hold some call: it meets nothing
    throw e;
  }
  const floors = realisticFloors(scenario);
  const required = requiredRank(ctx.workload.workflows.length, options.quantile);
  if (criticalPathScale(floors, scenario.standaloneS, required) > options.scale) return cheap;
  const lp = buildRealisticLp(scenario, floors, options.scale, required, { intervals: CLUSTER_LP_INTERVALS });
  if (lp.possible < required) return cheap;
  const { impossible } = await decideWholeLp(
    lp,
    options.solver ?? 'highs',
    options.timeLimitS ?? CLUSTER_LP_LIMIT_S,
  );
  return { ruledOut: impossible, solvedLp: true };
}
