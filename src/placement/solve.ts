import { cheapBounds } from '../bounds/cheap.ts';
import { boundsMeet } from '../check/verify/claims.ts';
import { definitelyLess } from '../check/verify/tolerance.ts';
import { HexplanError } from '../errors.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import type { SolveResult } from '../solver/result.ts';
import { solveModel } from '../solver/solve.ts';
import { deadlineIn } from '../util/deadline.ts';
import { buildPlacementModel, checkModelReach, normalizeOptions } from './build.ts';
import { placementData } from './data.ts';
import { bestHeuristic, replayPlan } from './heuristic.ts';
import { checkObjective } from './objectives.ts';
import { scheduleToPlan } from './schedule.ts';
import { buildTimeIndexedModel } from './timeIndexed.ts';
import type { PlacementOptions, PlacementResult } from './types.ts';

export { buildPlacementModel } from './build.ts';

/** A lower bound on the optimum and where it comes from. */
export interface NamedBound {
  value: number;
  source: string;
}

/** Below this many seconds left, a solve is not started (HiGHS needs some to even load a model). */
const MIN_SOLVE_S = 0.5;

/** Tolerance within which a replayed plan "reproduces" the solver's objective. */
export const REPLAY_TOL = 1e-6;

/**
 * Solves the placement problem (docs/concepts.md "Placement ILP"): the best online policy's exact
 * schedule is the first upper bound and the solver's start; the model (continuous or
 * time-indexed) improves it; every plan is re-scored by exact replay; the lower bound is the
 * best of the solver's dual bound, the time-indexed LP (Δ rounded down) and cheap bounds.
 * Status is "optimal" only when the solver proved it and the replayed plan matches.
 */
export async function solvePlacement(
  scenario: Scenario,
  options: Partial<PlacementOptions> & Pick<PlacementOptions, 'objective'>,
): Promise<PlacementResult> {
  const t0 = performance.now();
  const o = normalizeOptions(options);
  const deadline = o.deadline ?? deadlineIn(o.timeLimitS);
  const log = o.onProgress ?? (() => {});
  checkModelReach(scenario);
  const data = placementData(scenario);
  checkObjective(data, o.objective, o.quantile);
  const heuristic = bestHeuristic(data, o.objective, o.quantile, log, deadline);
  const heurPlan = scheduleToPlan(data, heuristic.schedule, o.objective, o.quantile);
  let best = { plan: heurPlan, value: replayPlan(scenario, heurPlan, data).value, source: heuristic.source };
  o.onIncumbent?.(heurPlan, best.value);

  const bounds: NamedBound[] = [
    // Cheap bounds (standalone, per-workflow exact-mode critical path, capacity arguments).
    ...cheapBounds(scenario, o.objective, o.quantile).map((b) => ({
      value: b.value,
      source: `cheap:${b.source}`,
    })),
  ];
  const notes: string[] = [];
  if (heuristic.skipped.length > 0) notes.push(`time limit reached: ${heuristic.skipped.join(', ')} not run`);
  let status: PlacementResult['status'] = 'time_limit';
  let solverObjective: number | null = null;
  let solverStatus: SolveResult['status'] | null = null;
  let lpBound: number | null = null;
  let formulation: PlacementResult['formulation'] = null;
  let stats: PlacementResult['modelStats'] = null;
  const gapTol = Math.max(o.mipRelGap ?? 1e-6, REPLAY_TOL);
  let provenBySolver = false;

  const believable = (b: NamedBound) => !definitelyLess(best.value, b.value);
  const cheapBest = Math.max(0, ...bounds.filter(believable).map((b) => b.value));
  const closedByBounds = (placementGap(best.value, cheapBest) ?? 1) <= gapTol;
  if (closedByBounds) {
    notes.push('the best heuristic meets a cheap lower bound: optimal without a solve');
  } else if (deadline.remainingS() < MIN_SOLVE_S) {
    notes.push('time limit reached before the model was built: the best heuristic and cheap bounds only');
  } else {
    const pm = buildPlacementModel(scenario, o, { data, heuristic });
    formulation = pm.formulation;
    stats = pm.stats;
    log(
      `${pm.formulation} model: ${pm.stats.columns} columns (${pm.stats.binaries} binary), ${pm.stats.rows} rows`,
    );
    const res = await solveModel(pm.model, {
      solver: o.solver,
      // A third of the time is kept for the time-indexed LP, the strong bound when this stalls.
      timeLimitS: Math.max(MIN_SOLVE_S, (deadline.remainingS() * 2) / 3),
      mipRelGap: o.mipRelGap ?? 1e-6,
      ...(o.warmStart ? { start: pm.start() } : {}),
      onProgress: (p) =>
        log(`solver: incumbent ${p.objective ?? '-'} bound ${p.bound ?? '-'} at ${p.seconds.toFixed(1)} s`),
    }).catch((err: unknown): SolveResult => {
      // A model the backend refuses (e.g. too big for HiGHS's WebAssembly heap) leaves the
      // heuristic plan and the bounds; the user is told why, and export-lp still writes it.
      if (!(err instanceof HexplanError)) throw err;
      return {
        status: 'error',
        objective: null,
        bound: null,
        gap: null,
        values: null,
        solveSeconds: 0,
        solver: o.solver,
        message: err.message,
      };
    });
    solverStatus = res.status;
    solverObjective = res.objective;
    if (res.message) notes.push(`${o.solver}: ${res.message}`);
    const tag = `${o.solver}:${pm.formulation === 'continuous' ? 'continuous-ilp' : `time-indexed-ilp Δ=${pm.deltaS}s (rounded up)`}`;
    if (res.values) {
      const plan = pm.toPlan(res.values);
      const replayed = replayPlan(scenario, plan, data).value;
      if (res.objective !== null && replayed > res.objective * (1 + REPLAY_TOL) + REPLAY_TOL) {
        notes.push(`the solver's plan replays to ${replayed}, worse than its objective ${res.objective}`);
      }
      if (replayed < best.value) {
        best = { plan, value: replayed, source: tag };
        o.onIncumbent?.(plan, replayed);
      }
    }
    // Only the exact continuous model's dual bound bounds the true optimum.
    if (
      pm.formulation === 'continuous' &&
      res.bound !== null &&
      (res.status === 'optimal' || res.status === 'time_limit')
    ) {
      bounds.push({ value: res.bound, source: `${tag} dual bound` });
    }
    provenBySolver =
      pm.formulation === 'continuous' &&
      res.status === 'optimal' &&
      res.objective !== null &&
      best.value <= res.objective * (1 + REPLAY_TOL) + REPLAY_TOL;
    if (!provenBySolver && deadline.remainingS() < MIN_SOLVE_S) {
      notes.push('time-indexed LP bound skipped: the time limit was reached');
    } else if (!provenBySolver) {
      // The time-indexed LP (rounded down) is the strong bound when the exact model stalls.
      try {
        const lb = buildTimeIndexedModel(data, o.objective, o.quantile, best.value, {
          deltaS: o.deltaS!,
          rounding: 'down',
        });
        const lp = await solveModel(lb.model, {
          solver: o.solver,
          relax: true,
          timeLimitS: deadline.remainingS(),
        });
        const v = lp.status === 'optimal' ? lp.objective : lp.bound;
        if (v !== null) {
          lpBound = v;
          bounds.push({ value: v, source: `${o.solver}:time-indexed LP Δ=${o.deltaS}s` });
        } else notes.push(`time-indexed LP bound: ${lp.status}${lp.message ? ` (${lp.message})` : ''}`);
      } catch (err) {
        notes.push(`time-indexed LP bound skipped: ${(err as Error).message}`);
      }
    }
    if (pm.formulation === 'time-indexed' && res.status === 'optimal') {
      notes.push(
        `the time-indexed optimum is optimal for the Δ = ${pm.deltaS} s grid model only (durations rounded up)`,
      );
    }
    if (res.status === 'error' || res.status === 'infeasible' || res.status === 'unbounded') {
      status = 'error';
      notes.push(`${o.solver} ended with status ${res.status}; the plan is the best heuristic's`);
    }
  }

  // A bound above a replayed (hence feasible) plan's value is wrong, whatever computed it: it is
  // dropped and said, never allowed to prove the plan optimal.
  const valid = bounds.filter((b) => {
    if (believable(b)) return true;
    notes.push(
      `the lower bound ${b.value} (${b.source}) exceeds the replayed plan's ${best.value}: not a valid bound, ignored`,
    );
    return false;
  });
  const lower = valid.reduce((a, b) => (b.value > a.value ? b : a), { value: 0, source: 'none' });
  const gap = placementGap(best.value, lower.value);
  // Proven: by the exact model's solver (its plan replaying to its objective), or by the bounds;
  // either way the reported lower bound must meet the plan's value, the rule `verify` applies.
  if (
    status !== 'error' &&
    (provenBySolver || (gap !== null && gap <= gapTol)) &&
    boundsMeet(best.value, lower.value, gapTol)
  )
    status = 'optimal';
  const plan: Plan = {
    ...best.plan,
    reported: {
      status,
      objective: best.value,
      lower_bound: lower.value,
      gap_tolerance: gapTol,
      solver: o.solver,
    },
  };
  return {
    status,
    objective: o.objective,
    quantile: o.quantile,
    upperBound: best.value,
    upperBoundSource: best.source,
    lowerBound: lower.value,
    lowerBoundSource: lower.source,
    lpBound,
    gap,
    plan,
    solver: o.solver,
    solveS: (performance.now() - t0) / 1000,
    solverStatus,
    solverObjective,
    formulation,
    bounds,
    heuristics: heuristic.candidates,
    modelStats: stats,
    ...(notes.length > 0 ? { message: notes.join('; ') } : {}),
  };
}

/** UB/LB − 1; 0 when both are 0; null when it is undefined. */
export function placementGap(ub: number | null, lb: number | null): number | null {
  if (ub === null || lb === null) return null;
  if (lb > 0) return Math.max(0, ub / lb - 1);
  return ub <= 0 ? 0 : null;
}

/**
 * The model's error for a plan: its objective replayed in exact mode (what the ILP assumes)
 * and in realistic mode (continuous batching, growing KV), and their ratio − 1.
 */
export function planModelError(
  scenario: Scenario,
  plan: Plan,
): { exact: number; realistic: number; relative: number } {
  const data = placementData(scenario);
  const exact = replayPlan(scenario, plan, data, 'exact').value;
  const realistic = replayPlan(scenario, plan, data, 'realistic').value;
  return { exact, realistic, relative: exact > 0 ? realistic / exact - 1 : 0 };
}

export { normalizeOptions };
