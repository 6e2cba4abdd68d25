import type { Scenario } from '../scenario/scenario.ts';
import { requiredRank } from '../slo/quantile.ts';
import { aggregatedBound } from '../solver/aggregatedBound.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import type { SolveResult } from '../solver/result.ts';
import { solveModel } from '../solver/solve.ts';
import { type RealisticFloors, realisticFloors } from './realisticFloors.ts';
import { buildRealisticLp, DEFAULT_INTERVALS, type RealisticLp } from './realisticLp.ts';

/** A lower bound on the required SLO scale of every realistic-mode schedule. */
export interface RealisticBound {
  value: number;
  /** `realistic-lp` (an LP proved the scale below it impossible) or `realistic-critical-path`. */
  source: string;
  criticalPath: number;
  /** Each LP solved during the search, in order. */
  solves: RealisticSolve[];
  notes: string[];
}

export interface RealisticSolve {
  k: number;
  /** The LP's time grid: a coarse grid tried first, or the search's own. */
  intervals: number;
  status: string;
  /** LP optimum (Σ met, fractional) when proven optimal. */
  met: number | null;
  required: number;
  /** true: k proven impossible; false: proven possible for the LP; null: unknown (limit, error). */
  impossible: boolean | null;
  columns: number;
  rows: number;
  classes: number;
  solve_s: number;
}

export interface RealisticBoundOptions {
  quantile: number;
  /**
   * A scale some realistic schedule reaches (its required scale): the search stays below it,
   * since the LP cannot rule out what a schedule reaches.
   */
  achievedScale?: number;
  /** Wall-clock budget for the floors, LP builds and solves together, seconds (default 60). */
  timeLimitS?: number;
  /** Stop when the bracket (lo, hi) is this tight, relative (default 0.002). */
  relTol?: number;
  intervals?: number;
  /**
   * From this many met columns on, a k is decided by an aggregated master and its dual bound
   * instead of the whole LP (default AGGREGATE_FROM_WORKFLOWS).
   */
  aggregateFromWorkflows?: number;
  solver?: SolverName;
  floors?: RealisticFloors;
  onProgress?: (message: string) => void;
  /**
   * After each LP probe: probes done, and at most how many there will be in all (with no
   * `achievedScale` the search has no ceiling, and the second figure only says one more).
   */
  onProbe?: (done: number, atMost: number) => void;
}

/**
 * The realistic lower bound: the critical-path floor, then a search on k between what is
 * proven impossible (lo) and what is not (hi). A k counts as impossible only when the LP was
 * solved to proven optimality with Σ met below ⌈q·W⌉ (or when fewer than ⌈q·W⌉ workflows fit
 * their windows at all); a time limit or an error proves nothing and ends the search there.
 */
export async function realisticLowerBound(
  scenario: Scenario,
  options: RealisticBoundOptions,
): Promise<RealisticBound> {
  const log = options.onProgress ?? (() => {});
  // The budget covers the floors and the LP builds too: at ~1M calls they take seconds each.
  const startMs = performance.now();
  const floors = options.floors ?? realisticFloors(scenario);
  const W = floors.compiled.workflows;
  const required = requiredRank(W, options.quantile);
  const criticalPath = criticalPathScale(floors, scenario.standaloneS, required);
  const notes: string[] = [];
  const solves: RealisticSolve[] = [];
  const budgetS = options.timeLimitS ?? 60;
  const relTol = options.relTol ?? 0.002;
  const leftS = () => budgetS - (performance.now() - startMs) / 1000;
  // The longest LP build so far: a probe is not started unless its build fits what is left.
  let buildS = 0;
  const canProbe = () => leftS() > 0.5 + buildS;

  const intervals = options.intervals ?? DEFAULT_INTERVALS;
  const aggregateFrom = options.aggregateFromWorkflows ?? AGGREGATE_FROM_WORKFLOWS;
  // Coarse grids first, far from the threshold proving k impossible at a tenth of the time;
  // whole LPs only: on the aggregated path each LP's build limits the probes, and a coarse one
  // builds as slowly (1M calls: same LB, 64.5 s against 57.7 s; bench/results/realistic-bounds.md).
  const coarse = W < aggregateFrom ? COARSE_INTERVALS.filter((n) => n < intervals) : [];

  // The least k a coarse grid left open: a larger k only widens windows, so that grid is not
  // tried there again (it would take time and, but for grid shifts, prove nothing).
  const openFrom = new Map<number, number>();

  /** Whether k is proven impossible: on the first coarse grid that proves it, else on the search's own. */
  const probe = async (k: number): Promise<boolean | null> => {
    for (const grid of coarse) {
      if (k >= (openFrom.get(grid) ?? Number.POSITIVE_INFINITY)) continue;
      if ((await probeOn(k, grid)) === true) return true;
      openFrom.set(grid, k);
    }
    return probeOn(k, intervals);
  };

  const probeOn = async (k: number, grid: number): Promise<boolean | null> => {
    const builtFromMs = performance.now();
    const lp = buildRealisticLp(scenario, floors, k, required, { intervals: grid });
    buildS = Math.max(buildS, (performance.now() - builtFromMs) / 1000);
    const base = {
      k,
      intervals: grid,
      required,
      columns: lp.model.variables.length,
      rows: lp.model.constraints.length,
      classes: lp.classes,
    };
    if (lp.possible < required) {
      solves.push({ ...base, status: 'windows', met: lp.possible, impossible: true, solve_s: 0 });
      return true;
    }
    const limit = Math.min(leftS(), Math.max(5, 0.6 * leftS()));
    if (limit <= 0.5) return null;
    const margin = 1e-4 * Math.max(1, required);
    if (lp.metColumns.length >= aggregateFrom) {
      const t0 = performance.now();
      const agg = await aggregatedBound(lp.model, lp.metColumns, lp.metArrivalInterval, {
        target: required - margin,
        deadlineMs: t0 + limit * 1000,
        solve: { solver: options.solver ?? 'highs', lpMethod: 'ipm' },
        onRound: (r) =>
          log(
            `k = ${k.toPrecision(6)}: master of ${r.groups} groups ${r.status} in ${r.solveS.toFixed(1)} s, ` +
              `Σ met ≥ ${r.master?.toFixed(1) ?? '-'}, ≤ ${r.bound.toFixed(1)} of ${required} needed`,
          ),
      });
      const impossible = agg.stop === 'below' ? true : agg.stop === 'reached' ? false : null;
      const met = Number.isFinite(agg.bound) ? agg.bound : null;
      solves.push({
        ...base,
        status: `aggregated-${agg.stop}`,
        met,
        impossible,
        solve_s: (performance.now() - t0) / 1000,
      });
      if (impossible === null) {
        const why = agg.rounds.at(-1)?.message;
        notes.push(
          `aggregated LP at k = ${k}: stopped (${agg.stop}) after ${agg.rounds.length} masters, ` +
            `Σ met ≤ ${met ?? '∞'}${why ? ` (${why})` : ''}`,
        );
      }
      return impossible;
    }
    const { res, met, impossible } = await decideWholeLp(lp, options.solver ?? 'highs', limit);
    solves.push({ ...base, status: res.status, met, impossible, solve_s: res.solveSeconds });
    log(
      `k = ${k.toPrecision(6)}${grid === intervals ? '' : ` (${grid} intervals)`}: ${res.status}, ` +
        `Σ met ${met?.toFixed(3) ?? '-'} of ${required} needed`,
    );
    // A coarse grid that leaves k open proves nothing either way; the next grid decides.
    if (res.status !== 'optimal' && grid === intervals)
      notes.push(`LP at k = ${k}: ${res.status}${res.message ? ` (${res.message})` : ''}`);
    return impossible;
  };

  // Galloping up from the critical-path bound, then bisection: each k proven impossible is
  // kept. A probe gets at most 60% of what is left, so when one runs out of time (LPs grow with
  // k) the search still has time to try a smaller k below it instead of ending empty-handed.
  let lo = criticalPath;
  // Above `ceiling` nothing is tried: a schedule reaches it, the LP found it possible, or an LP
  // there ran out of time.
  let ceiling = options.achievedScale ?? Number.POSITIVE_INFINITY;
  let proven = false;
  const minStep = relTol * lo;
  let step = Math.max(relTol, 0.02) * lo;
  let probes = 0;
  while (lo + step < ceiling && canProbe()) {
    const k = lo + step;
    const r = await probe(k);
    probes++;
    options.onProbe?.(probes, probes + probesLeftAtMost(lo, step, ceiling, minStep, r === true));
    if (r === true) {
      lo = k;
      proven = true;
      step *= 2;
      continue;
    }
    ceiling = k;
    break;
  }
  while (Number.isFinite(ceiling) && ceiling - lo > minStep && canProbe()) {
    const mid = (lo + ceiling) / 2;
    const r = await probe(mid);
    probes++;
    if (r === true) {
      lo = mid;
      proven = true;
    } else ceiling = mid;
    options.onProbe?.(probes, probes + bisectionsLeft(ceiling - lo, minStep));
  }
  const value = Math.max(lo, criticalPath);
  return {
    value,
    source: proven && lo > criticalPath ? 'realistic-lp' : 'realistic-critical-path',
    criticalPath,
    solves,
    notes,
  };
}

/**
 * The critical-path bound (docs/bounds.md, ingredient 6): at least ⌈q·W⌉ workflows meet any
 * reachable k, each with P_w/s_w ≤ k, so the `required`-th smallest P_w/s_w is ≤ k.
 */
export function criticalPathScale(
  floors: RealisticFloors,
  standaloneS: Float64Array,
  required: number,
): number {
  const pathScale = Float64Array.from(floors.workflowPathS, (p, w) => p / standaloneS[w]!).sort();
  return pathScale[required - 1]!;
}

/**
 * Solves one k's whole LP: impossible (true) only when the solver proves the optimum and Σ met
 * stays below ⌈q·W⌉ by the margin; null when it proves nothing (time limit, error).
 */
export async function decideWholeLp(
  lp: RealisticLp,
  solver: SolverName,
  timeLimitS: number,
): Promise<{ res: SolveResult; met: number | null; impossible: boolean | null }> {
  const res = await solveModel(lp.model, {
    solver,
    timeLimitS,
    // Interior point: several times faster than simplex on these LPs (bench/results/bounds.md).
    lpMethod: 'ipm',
  });
  let impossible: boolean | null = null;
  let met: number | null = null;
  if (res.status === 'optimal') {
    // The dual bound when the backend gives one, else the verified point's objective.
    met = res.bound ?? res.objective;
    if (met !== null) impossible = met < lp.required - 1e-4 * Math.max(1, lp.required);
  }
  return { res, met, impossible };
}

/**
 * From this many met columns on, a k is decided by the aggregated master and its dual bound
 * (src/solver/aggregatedBound.ts) instead of the whole LP, whose per-workflow columns are then
 * what HiGHS cannot get through in the budget (bench/results/realistic-bounds.md).
 */
const AGGREGATE_FROM_WORKFLOWS = 50_000;

/**
 * Grids each k is tried on before the search's own (24 intervals by default), coarsest first;
 * they nest in it, so each is a weaker relaxation, never a wrong one. On the loaded 300-workflow
 * instance (bench/results/realistic-bounds.md) k = 1.06 is proven impossible with 3 intervals in
 * 0.1 s and k = 1.1 with 8 in 0.9 s, where 24 take 8 s each.
 */
const COARSE_INTERVALS = [3, 8];

/** Bisection probes until a bracket of `width` is narrower than `minStep`. */
function bisectionsLeft(width: number, minStep: number): number {
  return width > minStep ? Math.ceil(Math.log2(width / minStep)) : 0;
}

/**
 * At most how many probes the search still makes after probing lo + step: if that probe
 * succeeded, the rest of the gallop (every probe succeeding, the longest case) and then the
 * bisection of the widest bracket a gallop probe's failure or the ceiling can leave; if it
 * failed, the bisection of (lo, lo + step).
 */
function probesLeftAtMost(
  lo: number,
  step: number,
  ceiling: number,
  minStep: number,
  succeeded: boolean,
): number {
  if (!succeeded) return bisectionsLeft(Math.min(step, ceiling - lo), minStep);
  if (!Number.isFinite(ceiling)) return 1;
  let n = 0;
  let at = lo + step;
  let st = step * 2;
  let widestFailure = 0;
  while (at + st < ceiling) {
    n++;
    widestFailure = st;
    at += st;
    st *= 2;
  }
  return n + bisectionsLeft(Math.max(widestFailure, Math.min(st, ceiling - at)), minStep);
}
