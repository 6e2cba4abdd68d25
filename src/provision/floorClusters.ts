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
 * cluster itself (its own standalone times), proves unable to reach k is out; when every one of
 * them is, no cluster costs less than the next catalog cost above F, which becomes the floor,
 * and so on, until a cluster cannot be ruled out, the answer's cost is reached, or the LP
 * allowance is spent. Each cluster's LP is tried on a 1-interval grid, then 3, then
 * CLUSTER_LP_INTERVALS (INTERVAL_LADDER): every grid gives a valid relaxation, and a cluster
 * far from meeting k is ruled out by a coarse one in a few hundredths of what the full grid
 * costs, so the allowance goes to the clusters near the threshold.
 */
export interface LiftOptions {
  quantile: number;
  scale: number;
  /** The cheapest verified cluster's cost: no need to lift beyond it. */
  below: number;
  /**
   * At most this many full-grid cluster LPs (a count, not a time, so the floor does not depend
   * on the machine's load); a coarse LP of n intervals counts as n / CLUSTER_LP_INTERVALS of one.
   */
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
  /**
   * How each was ruled out: by the critical-path bound or the windows (no LP), or by the LP on a
   * grid of that many intervals (`lp1`, `lp3`, `lp12`).
   */
  ruledOutBy: Partial<Record<RuledOutBy, number>>;
  /** LPs solved, in full-grid LPs (a coarse one counts as its share of the full grid). */
  lpsSpent: number;
  /** The allowance, in full-grid LPs. */
  maxLps: number;
  /** Why the lift stopped. */
  stop:
    | 'cluster not ruled out'
    | 'an LP stopped early'
    | 'reached the answer'
    | 'LP allowance spent'
    | 'more clusters at one cost than the lift may try'
    | 'no higher catalog cost';
}

/** What ruled a cluster out: no LP needed, or the LP on a grid of that many intervals. */
type RuledOutBy = 'capacity' | 'critical path' | 'windows' | `lp${number}`;

const DEFAULT_MAX_LPS = 12;
const CLUSTER_LP_INTERVALS = 12;
/** Grids tried in turn on one cluster, coarsest first; each nests in the next (src/bounds/realisticLp.ts spreads grid points by rank). */
const INTERVAL_LADDER = [1, 3, CLUSTER_LP_INTERVALS];
const CLUSTER_LP_LIMIT_S = 60;
/**
 * At most this many clusters per lift, whatever their grids: each costs its scenario, floors and
 * an LP build, about a second on `large` even on one interval. A cost with more clusters than
 * are left cannot be passed, so the lift stops before trying any of them.
 */
const MAX_CLUSTERS = 48;

export async function liftFloor(
  ctx: PlanContext,
  floorCost: number,
  options: LiftOptions,
): Promise<LiftedFloor> {
  const maxLps = options.maxLps ?? DEFAULT_MAX_LPS;
  let level = floorCost;
  const spent = { intervals: 0 };
  let ruledOut = 0;
  const ruledOutBy: Partial<Record<RuledOutBy, number>> = {};
  const result = (stop: LiftedFloor['stop']): LiftedFloor => ({
    costPerHour: level,
    ruledOut,
    ruledOutBy,
    lpsSpent: spent.intervals / CLUSTER_LP_INTERVALS,
    maxLps,
    stop,
  });
  // Whole numbers of intervals, so the allowance check is exact.
  const allowance = maxLps * CLUSTER_LP_INTERVALS;
  let tried = 0;
  while (level < options.below - 1e-9) {
    const clusters = clustersCosting(ctx, Math.round(level * PRICE_UNIT));
    if (tried + clusters.length > MAX_CLUSTERS)
      return result('more clusters at one cost than the lift may try');
    for (const counts of clusters) {
      if (spent.intervals >= allowance) return result('LP allowance spent');
      options.onProgress?.(
        `a cluster at $${level.toFixed(2)}/h (${ruledOut} ruled out, ` +
          `${round2(spent.intervals / CLUSTER_LP_INTERVALS)} of ${maxLps} LPs)`,
      );
      tried++;
      const verdict = await ruledOutAtScale(ctx, counts, options, spent, allowance);
      if (verdict === 'stopped early') return result('an LP stopped early');
      if (verdict === 'allowance spent') return result('LP allowance spent');
      if (verdict === 'not ruled out') return result('cluster not ruled out');
      ruledOutBy[verdict] = (ruledOutBy[verdict] ?? 0) + 1;
      ruledOut++;
    }
    const next = nextAchievableCost(ctx, ctx.purchasable, level + 1 / PRICE_UNIT, false);
    if (next === null) return result('no higher catalog cost');
    level = next;
  }
  return result('reached the answer');
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The lift's account of how clusters were ruled out, for a floor's source line. */
export function describeRuledOut(lifted: LiftedFloor): string {
  const how = (Object.entries(lifted.ruledOutBy) as Array<[RuledOutBy, number]>)
    .sort(([a], [b]) => ladderRank(a) - ladderRank(b))
    .map(([by, n]) => `${n} by ${RULED_OUT_BY[by] ?? `a ${by.slice(2)}-interval LP`}`);
  const lps = `${round2(lifted.lpsSpent)} of ${lifted.maxLps} full LPs' worth solved`;
  return how.length > 0 ? `: ${how.join(', ')}; ${lps}` : `; ${lps}`;
}

const RULED_OUT_BY: Partial<Record<RuledOutBy, string>> = {
  capacity: 'a call no instance can hold',
  'critical path': 'the critical-path bound',
  windows: 'the windows alone',
};
const ladderRank = (by: RuledOutBy) => (by.startsWith('lp') ? Number(by.slice(2)) : -1);

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
 * Whether no realistic schedule on the cluster reaches k, and what proved it: the critical-path
 * bound or the windows (no LP), or the LP on the first grid of the ladder that does. Each LP
 * solved adds its intervals to `spent`; a grid that would overdraw the allowance is not tried.
 */
async function ruledOutAtScale(
  ctx: PlanContext,
  counts: number[],
  options: LiftOptions,
  spent: { intervals: number },
  allowance: number,
): Promise<RuledOutBy | 'not ruled out' | 'stopped early' | 'allowance spent'> {
  const cluster = buildProvisionedCluster(ctx.demand.table.types, counts, ctx.setup);
  let scenario: ReturnType<typeof makeScenario>;
  try {
    scenario = makeScenario(ctx.workload, cluster, { catalog: ctx.setup.catalog });
  } catch (e) {
    if (e instanceof HexplanError) return 'capacity'; // it cannot hold some call: it meets nothing
    throw e;
  }
  const floors = realisticFloors(scenario);
  const required = requiredRank(ctx.workload.workflows.length, options.quantile);
  if (criticalPathScale(floors, scenario.standaloneS, required) > options.scale) return 'critical path';
  for (const intervals of INTERVAL_LADDER) {
    const lp = buildRealisticLp(scenario, floors, options.scale, required, { intervals });
    // On any grid, too few workflows fitting their windows rules the cluster out.
    if (lp.possible < required) return 'windows';
    if (spent.intervals + intervals > allowance) return 'allowance spent';
    spent.intervals += intervals;
    const { impossible } = await decideWholeLp(
      lp,
      options.solver ?? 'highs',
      options.timeLimitS ?? CLUSTER_LP_LIMIT_S,
    );
    if (impossible === null) return 'stopped early';
    if (impossible) return `lp${intervals}`;
  }
  return 'not ruled out';
}
