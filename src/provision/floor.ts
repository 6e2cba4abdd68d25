import { realisticFloors } from '../bounds/realisticFloors.ts';
import { buildRealisticLp } from '../bounds/realisticLp.ts';
import { HexplanError } from '../errors.ts';
import { makeScenario, type Scenario } from '../scenario/scenario.ts';
import { requiredRank } from '../slo/quantile.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { LinearExpr } from '../solver/model.ts';
import { mapInBatches, PARALLEL_SOLVES } from '../solver/parallel.ts';
import { solveModel } from '../solver/solve.ts';
import type { PlanContext } from './context.ts';
import { probeCluster } from './demand.ts';
import { decodeCells, standaloneUpperBoundS } from './floorData.ts';
import { referenceSets } from './mix.ts';

/**
 * The cost floor: no cluster drawn from the catalog (within its availability limits) that
 * costs less per hour can meet scale k at quantile q in realistic mode, under any policy
 * (docs/provision.md, "The cost floor", has the proof).
 *
 * One relaxation per cell: a set U of GPU types the cluster holds, and within it the decode
 * type D that no other decode type of the cluster beats on every call (floorData.ts
 * decodeCells); the floor is the least over cells:
 * - the realistic gap's LP (src/bounds/realisticLp.ts, proven in docs/bounds.md) on a probe
 *   cluster holding every instance type of U except those that dominate D, with each type's
 *   instance count an integer column n_t: work, KV and batch-size capacity scale with n_t;
 * - deadlines a_w + k·s⁺_w with s⁺_w ≥ the standalone time of every cluster of the cell
 *   (floorData.ts), so every window is at least the real one;
 * - Σ met_w ≥ ⌈q·W⌉, n_D ≥ 1, at least one instance of each GPU of U, availability limits,
 *   min Σ price·n_t;
 * - the floor of a cell is the LP optimum rounded up to the least cost the catalog's prices can add
 *   up to (an integer cluster costs exactly such a sum). No MILP: branch and bound over this LP
 *   is slow, and a time-limited solve would make the floor depend on the machine's load.
 */
export interface CostFloor {
  costPerHour: number;
  /** Human-readable description of the relaxation and its solve. */
  source: string;
  /** The GPU set of the least floor. */
  gpus: string[];
  perSet: Array<{ gpus: string[]; costPerHour: number | null; status: string }>;
}

export interface FloorOptions {
  quantile: number;
  scale: number;
  solver?: SolverName;
  /** Seconds for each set's LP (default 300); a set whose LP stops early counts at 0. */
  timeLimitS?: number;
  /** False: one relaxation over all GPU types (looser, one solve) instead of one per GPU set. */
  perSet?: boolean;
  /** Time-grid intervals of the LP (default 12). */
  intervals?: number;
  /** Told before each round of LPs: which GPU sets or cells (progress; the floor takes a while). */
  onProgress?: (message: string) => void;
}

/** Seconds for each set's LP; a stopped LP proves nothing and its set counts at 0. */
const FLOOR_LP_LIMIT_S = 300;
/** Above this many workflows one relaxation over all GPU types stands for every set. */
const PER_SET_WORKFLOWS = 3000;
/** Relative safety margin on a solver's optimum: LP tolerances must not lift the floor. */
const SOLVER_MARGIN = 1 - 1e-6;

interface SetModel {
  set: string[];
  build: ReturnType<typeof buildRealisticLp> | null;
  status: string;
}

export async function costFloor(ctx: PlanContext, options: FloorOptions): Promise<CostFloor> {
  const W = ctx.workload.workflows.length;
  // Above PER_SET_WORKFLOWS one relaxation over all GPU types stands for every set (s⁺ over all
  // pairs is ≥ any set's, and no GPU is required): looser, but one solve.
  const perSetMode = (options.perSet ?? true) && W <= PER_SET_WORKFLOWS;
  const sets = perSetMode ? referenceSets(ctx.purchasable) : [ctx.purchasable];
  const built: Array<SetModel & { lp: number | null }> = [];
  const allTypes = ctx.demand.table.types;
  const solveLp = async (b: SetModel): Promise<{ value: number | null; status: string }> => {
    const lp = await solveModel(b.build!.model.relaxed(), {
      solver: options.solver,
      timeLimitS: options.timeLimitS ?? FLOOR_LP_LIMIT_S,
      // As the realistic gap's LPs: interior point took the mixed-300 floor from 59 to 22 s
      // (HiGHS's own choice, simplex, on these degenerate time-interval LPs), same values.
      lpMethod: 'ipm',
    });
    if (lp.status === 'infeasible') return { value: null, status: 'infeasible' };
    // An LP that proves nothing still counts, at 0: the least over cells must cover it.
    return {
      value:
        lp.status === 'optimal' && (lp.bound ?? lp.objective) !== null
          ? Math.max(0, (lp.bound ?? lp.objective)!) * SOLVER_MARGIN
          : 0,
      status: `LP ${lp.status}`,
    };
  };
  // The least rounded value so far over every set: a set whose own relaxation is already no
  // cheaper cannot lower the floor, so its cells are not solved.
  let floorSoFar = Number.POSITIVE_INFINITY;
  // A cluster on U holds every GPU of U: when even the least such cluster costs no less than
  // the floor so far, U cannot lower it.
  const leastOf = (set: string[]) => (perSetMode ? nextAchievableCost(ctx, set, 0, true) : null);
  const cannotLower = (least: number | null) => least !== null && least >= floorSoFar;
  // The sets' own relaxations a few at a time; each set is then judged in order against the
  // floor so far, exactly as one after another (an LP solved for a set that turns out not to
  // need it is dropped).
  for (let i = 0; i < sets.length; i += PARALLEL_SOLVES) {
    const batch = sets.slice(i, i + PARALLEL_SOLVES).map((set) => {
      const inSet = allTypes.map((t) => set.includes(t.gpu));
      const least = leastOf(set);
      // The set's own relaxation (every type of U, the slowest pairs' deadlines) bounds every
      // cell of U from below; the least over U's cells is a second, tighter bound.
      const whole = cannotLower(least)
        ? null
        : buildCellModel(ctx, set, { allowed: inSet, fastest: null }, options, perSetMode);
      return { set, inSet, least, whole };
    });
    const solving = batch.filter(({ whole }) => whole?.build).map(({ set }) => set.join('+'));
    if (solving.length > 0)
      options.onProgress?.(
        `GPU set${solving.length > 1 ? 's' : ''} ${solving.join(', ')} (${i + 1}–${i + batch.length} of ${sets.length})`,
      );
    const setLps = await Promise.all(batch.map(({ whole }) => (whole?.build ? solveLp(whole) : null)));
    for (const [j, { set, inSet, least, whole }] of batch.entries()) {
      if (cannotLower(least) || !whole) {
        built.push({
          set,
          build: null,
          status: "its least cluster costs no less than another set's floor",
          lp: least,
        });
        continue;
      }
      const setLp = setLps[j];
      if (!setLp) {
        built.push({ ...whole, lp: null });
        continue;
      }
      if (setLp.value === null) {
        built.push({ ...whole, status: 'infeasible', lp: null });
        continue;
      }
      const rounded = nextAchievableCost(ctx, set, setLp.value, perSetMode) ?? setLp.value;
      if (rounded >= floorSoFar) {
        built.push({
          ...whole,
          status: `${setLp.status} (no lower than another set's: cells not solved)`,
          lp: setLp.value,
        });
        continue;
      }
      // Each LP runs in its own worker thread, so the cells are solved a few at a time; the
      // least over them does not depend on the order.
      const cells = decodeCells(ctx.workload, ctx.demand.table, inSet);
      options.onProgress?.(`${set.join('+')}: ${cells.length} decode cell${cells.length === 1 ? '' : 's'}`);
      const cellLps = await mapInBatches(cells, async (cell) => {
        const b = buildCellModel(ctx, set, cell, options, perSetMode);
        return b.build ? await solveLp(b) : null;
      });
      let cellsValue: number | null = null;
      let solved = 0;
      for (const r of cellLps) {
        if (r === null) continue;
        solved++;
        if (r.value !== null) cellsValue = cellsValue === null ? r.value : Math.min(cellsValue, r.value);
      }
      // Every cluster of U lies in some cell: when no cell is feasible, neither is U.
      const value = cellsValue === null ? null : Math.max(setLp.value, cellsValue);
      built.push({
        ...whole,
        status:
          value === null
            ? 'infeasible in every decode cell'
            : `${setLp.status}, least over ${solved} decode cells`,
        lp: value,
      });
      if (value !== null)
        floorSoFar = Math.min(floorSoFar, nextAchievableCost(ctx, set, value, perSetMode) ?? value);
    }
  }
  let best: { cost: number; gpus: string[] } | null = null;
  const result = new Map<string, { cost: number | null; status: string }>();
  for (const b of built) {
    if (b.lp === null) continue;
    // No integer cluster costs strictly between the LP value and the next cost the catalog's
    // prices can add up to (with one instance of each GPU of U, within availability).
    const cost = nextAchievableCost(ctx, b.set, b.lp, perSetMode);
    result.set(b.set.join('+'), {
      cost: cost ?? b.lp,
      status: `${b.status}${cost !== null && cost > b.lp ? ', rounded up to a catalog cost' : ''}`,
    });
    const value = cost ?? b.lp;
    if (best === null || value < best.cost) best = { cost: value, gpus: b.set };
  }
  const perSet = built.map((b) => {
    const r = result.get(b.set.join('+')) ?? { cost: null, status: b.status };
    return { gpus: b.set, costPerHour: r.cost, status: r.status };
  });
  const source =
    'realistic-mode relaxation (src/provision/floor.ts): the realistic gap LP (src/bounds/realisticLp.ts) ' +
    `with integer instance counts per type, deadlines a_w + k·s⁺_w, ⌈q·W⌉ met workflows, ${options.intervals ?? 12} ` +
    'time intervals, availability limits, LP optimum rounded up to a sum of catalog prices; ' +
    (perSetMode ? 'least over GPU sets' : `all GPU types in one set (above ${PER_SET_WORKFLOWS} workflows)`) +
    ' and, within each, over the fastest decode type present (deadlines from it, faster types excluded)';
  return { costPerHour: best?.cost ?? Number.POSITIVE_INFINITY, source, gpus: best?.gpus ?? [], perSet };
}

function buildCellModel(
  ctx: PlanContext,
  gpus: readonly string[],
  cell: { allowed: readonly boolean[]; fastest: number | null },
  options: FloorOptions,
  requirePresence: boolean,
): SetModel {
  const { workload, setup } = ctx;
  const table = ctx.demand.table;
  const set = [...gpus];
  const types = table.types.filter((t) => cell.allowed[t.index]);
  if (requirePresence && gpus.some((g) => !types.some((t) => t.gpu === g)))
    return { set, build: null, status: 'no cluster in the cell' };
  const sPlus = standaloneUpperBoundS(workload, table, cell.allowed, cell.fastest);
  if (sPlus.some((s) => !Number.isFinite(s))) return { set, build: null, status: 'cannot hold some call' };
  // The probe holds two instances of each type of U on nodes "a" and "b" of their GPU: the
  // realistic floors take the least transfer over members, which is then the same-node one
  // (or none, for a mixed instance serving both stages), at most any real cluster's.
  const probe = probeCluster(setup, types);
  let scenario: Scenario;
  try {
    scenario = makeScenario(workload, probe, { catalog: setup.catalog });
  } catch (e) {
    if (e instanceof HexplanError) return { set, build: null, status: 'cannot hold some call' };
    throw e;
  }
  const floors = realisticFloors(scenario);
  const required = requiredRank(workload.workflows.length, options.quantile);
  const lp = buildRealisticLp({ ...scenario, standaloneS: sPlus }, floors, options.scale, required, {
    intervals: options.intervals ?? 12,
    variableCounts: true,
  });
  if (lp.possible < required) return { set, build: null, status: 'windows: too few workflows can meet k' };
  const model = lp.model;
  const metSum = new LinearExpr();
  model.objective.vars.forEach((v, i) => {
    metSum.add(model.objective.coefs[i]!, { index: v });
  });
  model.addConstraint('quantile', metSum, '>=', required);
  // Group g of the probe is one instance type (its members are that type's a and b instances).
  const typeOfGroup = floors.groups.map((g) => {
    const keys = new Set(g.members.map((m) => m.id.slice(0, m.id.lastIndexOf('|'))));
    const t = types.find((x) => keys.has(x.key));
    if (!t || keys.size !== 1) throw new Error(`provision floor: probe group of ${[...keys].join(', ')}`);
    return t;
  });
  const cost = new LinearExpr();
  lp.counts.forEach((n, g) => {
    cost.add(typeOfGroup[g]!.costPerHour, n);
  });
  if (cell.fastest !== null) {
    const fastest = new LinearExpr();
    lp.counts.forEach((n, g) => {
      if (typeOfGroup[g]!.index === cell.fastest) fastest.add(1, n);
    });
    model.addConstraint('present_fastest_decode', fastest, '>=', 1);
  }
  for (const gpu of set) {
    const present = new LinearExpr();
    const used = new LinearExpr();
    lp.counts.forEach((n, g) => {
      const t = typeOfGroup[g]!;
      if (t.gpu !== gpu) return;
      present.add(1, n);
      used.add(t.tp, n);
    });
    if (requirePresence) model.addConstraint(`present[${gpu}]`, present, '>=', 1);
    const limit = setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
    if (limit !== null) model.addConstraint(`avail[${gpu}]`, used, '<=', limit);
  }
  model.setObjective('min', cost);
  return { set, build: lp, status: 'built' };
}

/** Price units: costs are compared as integers of 1e-4 $/h, so sums of prices are exact. */
export const PRICE_UNIT = 1e4;

/**
 * The least cost ≥ `atLeast` of a cluster of GPUs from `set` (with `eachGpu`, at least one
 * instance of every one of them), within availability; null when no such cluster costs that much within
 * the enumeration's reach (then the LP value stands).
 */
export function nextAchievableCost(
  ctx: PlanContext,
  set: readonly string[],
  atLeast: number,
  eachGpu = true,
): number | null {
  const types = ctx.demand.table.types;
  const target = Math.ceil(atLeast * PRICE_UNIT - 1e-6);
  const price = (t: (typeof types)[number]) => Math.round(t.costPerHour * PRICE_UNIT);
  const maxPrice = Math.max(...types.filter((t) => set.includes(t.gpu)).map(price));
  // One instance of each GPU at its cheapest is the least cluster; above the larger of that and
  // the target, one more instance of any type reaches every total the answer needs.
  const least = set.reduce((sum, gpu) => sum + Math.min(...types.filter((t) => t.gpu === gpu).map(price)), 0);
  const cap = Math.max(target, eachGpu ? least : 0) + maxPrice;
  // Achievable totals per GPU (≥ one instance, tp-weighted availability), then their sums.
  let totals = new Set<number>([0]);
  for (const gpu of set) {
    const own = types.filter((t) => t.gpu === gpu);
    const limit = ctx.setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
    const sums = new Set<number>();
    const walk = (i: number, cost: number, gpus: number, instances: number) => {
      if (cost > cap || (limit !== null && gpus > limit)) return;
      if (i === own.length) {
        if (instances > 0 || !eachGpu) sums.add(cost);
        return;
      }
      const t = own[i]!;
      for (let n = 0; cost + n * price(t) <= cap; n++) {
        if (limit !== null && gpus + n * t.tp > limit) break;
        walk(i + 1, cost + n * price(t), gpus + n * t.tp, instances + n);
      }
    };
    walk(0, 0, 0, 0);
    const next = new Set<number>();
    for (const a of totals) for (const b of sums) if (a + b <= cap) next.add(a + b);
    totals = next;
  }
  let best: number | null = null;
  for (const c of totals) if (c >= target && (best === null || c < best)) best = c;
  return best === null ? null : best / PRICE_UNIT;
}
