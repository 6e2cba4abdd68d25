import { cheapBounds } from '../bounds/cheap.ts';
import { HexplanError } from '../errors.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import type { SolveResult } from '../solver/result.ts';
import { solveModel } from '../solver/solve.ts';
import { buildPlacementModel, MAX_MODEL_CALLS, normalizeOptions } from './build.ts';
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
  const log = o.onProgress ?? (() => {});
  const data = placementData(scenario);
  checkObjective(data, o.objective, o.quantile);
  const heuristic = bestHeuristic(data, o.objective, o.quantile, log);
  const heurPlan = scheduleToPlan(data, heuristic.schedule, o.objective, o.quantile);
  let best = { plan: heurPlan, value: replayPlan(scenario, heurPlan, data).value, source: heuristic.source };

  const bounds: NamedBound[] = [
    // Cheap bounds (standalone, per-workflow exact-mode critical path, capacity arguments).
    ...cheapBounds(scenario, o.objective, o.quantile).map((b) => ({
      value: b.value,
      source: `cheap:${b.source}`,
    })),
  ];
  const notes: string[] = [];
  let status: PlacementResult['status'] = 'time_limit';
  let solverObjective: number | null = null;
  let solverStatus: SolveResult['status'] | null = null;
  let lpBound: number | null = null;
  let formulation: PlacementResult['formulation'] = null;
  let stats: PlacementResult['modelStats'] = null;
  const gapTol = Math.max(o.mipRelGap ?? 1e-6, REPLAY_TOL);
  let provenBySolver = false;

  const cheapBest = Math.max(...bounds.map((b) => b.value));
  const closedByBounds = (placementGap(best.value, cheapBest) ?? 1) <= gapTol;
  if (closedByBounds) {
    notes.push('the best heuristic meets a cheap lower bound: optimal without a solve');
  } else if (data.calls.length > MAX_MODEL_CALLS) {
    notes.push(
      `${data.calls.length} calls: no model built (limit ${MAX_MODEL_CALLS}); heuristic and cheap bounds only`,
    );
  } else {
    const pm = buildPlacementModel(scenario, o, { data, heuristic });
    formulation = pm.formulation;
    stats = pm.stats;
    log(
      `${pm.formulation} model: ${pm.stats.columns} columns (${pm.stats.binaries} binary), ${pm.stats.rows} rows`,
    );
    const res = await solveModel(pm.model, {
      solver: o.solver,
      timeLimitS: o.timeLimitS,
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
      if (replayed < best.value) best = { plan, value: replayed, source: tag };
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
    if (!provenBySolver) {
      // The time-indexed LP (rounded down) is the strong bound when the exact model stalls.
      try {
        const lb = buildTimeIndexedModel(data, o.objective, o.quantile, best.value, {
          deltaS: o.deltaS!,
          rounding: 'down',
        });
        const lp = await solveModel(lb.model, {
          solver: o.solver,
          relax: true,
          timeLimitS: Math.max(5, o.timeLimitS / 2),
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

  const lower = bounds.reduce((a, b) => (b.value > a.value ? b : a));
  const gap = placementGap(best.value, lower.value);
  // Proven: by the exact model's solver (its plan replaying to its objective), or by the bounds.
  if (status !== 'error' && (provenBySolver || (gap !== null && gap <= gapTol))) status = 'optimal';
  const plan: Plan = {
    ...best.plan,
    reported: { status, objective: best.value, lower_bound: lower.value, solver: o.solver },
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
