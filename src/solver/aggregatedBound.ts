/**
 * A bound on a large maximization LP from a small one. Most of the LP's columns are
 * "aggregable" (bounds [0, 1]; in the realistic LP, one met_w per workflow): a master LP keeps
 * every other column but only one column per group of aggregable ones (the group's columns
 * summed, all moved together by one θ ∈ [0, 1]). The master's row prices then price every
 * original column, and `lagrangianBound` turns them into a rigorous bound on the full LP,
 * whatever their quality. Groups whose members price on both sides of zero are split by that
 * sign and the master solved again; at an optimum of the full LP, a column with positive
 * reduced cost is at 1 and one with negative at 0, so sign-uniform groups lose nothing and
 * the bound meets the master's optimum as the groups refine.
 */
import { impliedUpperBounds, lagrangianBound } from './lagrangian.ts';
import { type Constraint, Model } from './model.ts';
import { type SolveModelOptions, solveModel } from './solve.ts';

export interface AggregatedBoundOptions {
  /**
   * Stop as soon as the bound is below this (a proof) or the master reaches it (none possible);
   * without it, run until the groups stop splitting or a limit.
   */
  target?: number;
  /** Wall-clock instant (performance.now() ms) after which no master is started or kept. */
  deadlineMs: number;
  /** At most this many master solves (default 12). */
  maxRounds?: number;
  /** At most this many group columns in a master (default 20,000). */
  maxGroups?: number;
  solve?: Pick<SolveModelOptions, 'solver' | 'lpMethod'>;
  onRound?: (round: AggregatedRound) => void;
}

export interface AggregatedRound {
  groups: number;
  /** Optimum of the master: a lower bound on the full LP's optimum (it is a restriction). */
  master: number | null;
  /** Rigorous upper bound on the full LP's optimum from this round's prices. */
  bound: number;
  /** Part of the bound paid for prices that were not dual feasible on the other columns. */
  infeasibility: number;
  status: string;
  solveS: number;
  /** The solver's message when the master did not solve. */
  message?: string;
}

export interface AggregatedBound {
  /** Least rigorous upper bound found (Infinity when no master solved). */
  bound: number;
  /** Best master optimum (a lower bound on the full LP's optimum), null when none. */
  master: number | null;
  rounds: AggregatedRound[];
  /** Why it stopped: 'below' (bound < target), 'reached' (master ≥ target), or a limit. */
  stop: 'below' | 'reached' | 'time' | 'rounds' | 'converged' | 'groups' | 'solver';
}

/**
 * `columns`: the aggregable columns (each with bounds [0, 1]); `group[i]`: the initial group of
 * columns[i] (any non-negative integers). The model must be a maximization.
 */
export async function aggregatedBound(
  model: Model,
  columns: Int32Array,
  group: Int32Array,
  options: AggregatedBoundOptions,
): Promise<AggregatedBound> {
  if (model.objective.sense !== 'max') throw new Error('aggregatedBound expects a maximization');
  const n = model.variables.length;
  const aggregable = new Int32Array(n).fill(-1);
  columns.forEach((j, i) => {
    const v = model.variables[j]!;
    if (v.lb !== 0 || v.ub !== 1)
      throw new Error(`aggregable column ${v.name} has bounds [${v.lb}, ${v.ub}]`);
    aggregable[j] = i;
  });
  const cost = new Float64Array(n);
  const o = model.objective;
  for (let k = 0; k < o.vars.length; k++) cost[o.vars[k]!]! += o.coefs[k]!;
  // The other columns keep their own master column, in model order.
  const keptAt = new Int32Array(n).fill(-1);
  const kept: number[] = [];
  for (let j = 0; j < n; j++) if (aggregable[j]! < 0) keptAt[j] = kept.push(j) - 1;
  const upper = impliedUpperBounds(model);

  const maxRounds = options.maxRounds ?? 12;
  const maxGroups = options.maxGroups ?? 20000;
  const rounds: AggregatedRound[] = [];
  let groupOf = renumber(group);
  let best = Number.POSITIVE_INFINITY;
  let bestMaster: number | null = null;
  let stop: AggregatedBound['stop'] = 'rounds';
  for (let round = 0; round < maxRounds; round++) {
    const leftS = (options.deadlineMs - performance.now()) / 1000;
    if (leftS <= 0.5) {
      stop = 'time';
      break;
    }
    const groups = count(groupOf);
    const master = buildMaster(model, kept, keptAt, aggregable, groupOf, groups, cost);
    const res = await solveModel(master, { ...options.solve, timeLimitS: leftS });
    if (res.status !== 'optimal' || !res.duals) {
      rounds.push({
        groups,
        master: null,
        bound: Number.POSITIVE_INFINITY,
        infeasibility: 0,
        status: res.status,
        solveS: res.solveSeconds,
        ...(res.message ? { message: res.message } : {}),
      });
      options.onRound?.(rounds[rounds.length - 1]!);
      stop = res.status === 'time_limit' ? 'time' : 'solver';
      break;
    }
    const lb = lagrangianBound(model, res.duals, upper);
    best = Math.min(best, lb.bound);
    bestMaster = Math.max(bestMaster ?? Number.NEGATIVE_INFINITY, res.objective!);
    rounds.push({
      groups,
      master: res.objective,
      bound: lb.bound,
      infeasibility: lb.infeasibility,
      status: res.status,
      solveS: res.solveSeconds,
    });
    options.onRound?.(rounds[rounds.length - 1]!);
    if (options.target !== undefined && best < options.target) {
      stop = 'below';
      break;
    }
    if (options.target !== undefined && bestMaster >= options.target) {
      stop = 'reached';
      break;
    }
    const split = splitBySign(columns, groupOf, lb.reducedCosts);
    if (split.groups === groups) {
      stop = 'converged';
      break;
    }
    if (split.groups > maxGroups) {
      stop = 'groups';
      break;
    }
    groupOf = split.groupOf;
  }
  return { bound: best, master: bestMaster, rounds, stop };
}

/** The master LP: the kept columns as they are, one θ_g ∈ [0, 1] per group (its columns summed). */
function buildMaster(
  model: Model,
  kept: number[],
  keptAt: Int32Array,
  aggregable: Int32Array,
  groupOf: Int32Array,
  groups: number,
  cost: Float64Array,
): Model {
  const master = new Model(`${model.name}_agg`);
  for (const j of kept) master.addVar({ ...model.variables[j]! });
  const K = kept.length;
  for (let g = 0; g < groups; g++) master.addVar({ name: `agg_${g}`, lb: 0, ub: 1 });
  const objVars: number[] = [];
  const objCoefs: number[] = [];
  const groupCost = new Float64Array(groups);
  kept.forEach((j, at) => {
    if (cost[j] !== 0) {
      objVars.push(at);
      objCoefs.push(cost[j]!);
    }
  });
  for (let j = 0; j < cost.length; j++)
    if (aggregable[j]! >= 0) groupCost[groupOf[aggregable[j]!]!]! += cost[j]!;
  for (let g = 0; g < groups; g++) {
    objVars.push(K + g);
    objCoefs.push(groupCost[g]!);
  }
  master.objective = { sense: 'max', vars: objVars, coefs: objCoefs, constant: model.objective.constant };
  const acc = new Float64Array(groups);
  const seenInRow = new Int32Array(groups).fill(-1);
  const touched: number[] = [];
  for (let i = 0; i < model.constraints.length; i++) {
    const c = model.constraints[i]!;
    const row: Constraint = { name: c.name, vars: [], coefs: [], sense: c.sense, rhs: c.rhs };
    for (let k = 0; k < c.vars.length; k++) {
      const j = c.vars[k]!;
      const a = aggregable[j]!;
      if (a < 0) {
        row.vars.push(keptAt[j]!);
        row.coefs.push(c.coefs[k]!);
        continue;
      }
      const g = groupOf[a]!;
      if (seenInRow[g] !== i) {
        seenInRow[g] = i;
        touched.push(g);
      }
      acc[g]! += c.coefs[k]!;
    }
    touched.sort((a, b) => a - b);
    for (const g of touched) {
      if (acc[g] !== 0) {
        row.vars.push(K + g);
        row.coefs.push(acc[g]!);
      }
      acc[g] = 0;
    }
    touched.length = 0;
    master.constraints.push(row);
  }
  return master;
}

/** Each group split into its columns of positive and of non-positive reduced cost. */
function splitBySign(
  columns: Int32Array,
  groupOf: Int32Array,
  reducedCosts: Float64Array,
): { groupOf: Int32Array; groups: number } {
  const key = Int32Array.from(groupOf, (g, i) => 2 * g + (reducedCosts[columns[i]!]! > 0 ? 1 : 0));
  const out = renumber(key);
  return { groupOf: out, groups: count(out) };
}

/** Group ids made dense (0, 1, …) in order of first appearance, so masters are deterministic. */
function renumber(ids: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return Int32Array.from(ids, (id) => {
    let g = map.get(id);
    if (g === undefined) map.set(id, (g = map.size));
    return g;
  });
}

function count(groupOf: Int32Array): number {
  let m = -1;
  for (const g of groupOf) if (g > m) m = g;
  return m + 1;
}
