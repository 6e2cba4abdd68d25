import { type RealisticSolve, realisticLowerBound } from '../bounds/realisticBound.ts';
import { modelReachProblem } from '../placement/build.ts';
import { solvePlacement } from '../placement/solve.ts';
import type { Policy } from '../policy/policy.ts';
import { getPolicy, ONLINE_POLICY_NAMES } from '../policy/registry.ts';
import { replay } from '../policy/replay.ts';
import type { ResolvedInstance } from '../profile/costModel.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import type { GapIncumbent } from './gapIncumbent.ts';
import type { GapStepListener } from './gapProgress.ts';
import { searchPlacement } from './placementSearch.ts';
import { byScaleThenName, gapPercents, type PolicyGap } from './policyGap.ts';
import { searchPriorities } from './realisticSearch.ts';
import { bestShapedStart, shapedStartRuns } from './shapedStarts.ts';

/** Up to this many calls the realistic gap also replays the placement ILP's plan (auto). */
export const REALISTIC_GAP_MAX_ILP_CALLS = 120;

export interface RealisticGapOptions {
  quantile: number;
  solver: SolverName;
  /** Budget for the LP search, and for the placement ILP when it runs, seconds each. */
  timeLimitS: number;
  policies?: string[];
  ilp?: 'auto' | 'on' | 'off';
  /** Candidate schedules the priority search simulates (0: none; default `defaultPriorityMoves(calls)`). */
  searchMoves?: number;
  /**
   * Candidate schedules the placement search simulates (0: none; default
   * `defaultPlacementMoves(calls)`, a fixed count so the result is deterministic).
   */
  placementMoves?: number;
  seed?: number;
  intervals?: number;
  onProgress?: (message: string) => void;
  onStep?: GapStepListener;
  /** Called whenever the bracket tightens, so an interrupted run can report it. */
  onIncumbent?: (incumbent: GapIncumbent) => void;
}

/** Against the realistic optimum's bracket. */
export type RealisticGapPolicy = PolicyGap;

/** `hexplan gap --json` in realistic mode (snake_case, like the exact report). */
export interface RealisticGapReport {
  mode: 'realistic';
  quantile: number;
  workflows: number;
  calls: number;
  optimum: {
    status: 'optimal' | 'bracket';
    lower_bound: number;
    lower_bound_source: string;
    upper_bound: number;
    upper_bound_source: string;
    critical_path_bound: number;
    lp_solves: RealisticSolve[];
    lp_s: number;
    search_evaluations: number;
    /** The placement ILP's plan replayed in realistic mode, when it ran and gave a plan. */
    ilp_plan_realistic_scale: number | null;
  };
  policies: RealisticGapPolicy[];
  notes: string[];
}

/**
 * The realistic bracket (docs/bounds.md): the optimum over realistic-mode schedules lies in
 * [LB, UB]. LB: src/bounds/realisticBound.ts. UB: the best schedule that ran in the realistic
 * simulator — every policy, the priority search warm-started from the best, and the placement
 * ILP's plan replayed where it solves.
 */
export async function runRealisticGap(
  scenario: Scenario,
  options: RealisticGapOptions,
): Promise<RealisticGapReport> {
  const q = options.quantile;
  const log = options.onProgress ?? (() => {});
  const notes: string[] = [];
  const W = scenario.workload.workflows.length;
  const calls = scenario.workload.workflows.reduce((n, wf) => n + wf.calls.length, 0);
  const names = options.policies ?? ONLINE_POLICY_NAMES;

  const step = options.onStep ?? (() => {});
  const runs: { name: string; scale: number }[] = [];
  let bestRun = { name: 'none', scale: Number.POSITIVE_INFINITY };
  let ub = { value: bestRun.scale, source: 'none' };
  const incumbent = () =>
    options.onIncumbent?.({
      mode: 'realistic',
      quantile: q,
      workflows: W,
      calls,
      lower_bound: null,
      lower_bound_source: 'none',
      upper_bound: ub.value,
      upper_bound_source: ub.source,
      policies: [...runs],
    });
  for (const name of names) {
    log(`simulating ${name} (realistic mode)`);
    runs.push({ name, scale: requiredScale(simulate(scenario, name, { mode: 'realistic' }).scales, q) });
    bestRun = [...runs].sort(byScaleThenName)[0]!;
    ub = { value: bestRun.scale, source: `policy:${bestRun.name}` };
    // Each policy's run is kept as it ends: a Ctrl-C during the next still reports it.
    incumbent();
    step({ phase: 'policies', done: runs.length, total: names.length });
    await yieldToEventLoop();
  }

  // The best policies with smaller prefill batches and shortest workflows first
  // (src/analysis/shapedStarts.ts): the searches start from the best of those runs when one
  // beats every policy as configured.
  const ranked = [...runs].sort(byScaleThenName);
  log('re-running the best policies with smaller prefill batches and shortest workflows first');
  const shaped = await bestShapedStart(scenario, ranked, q, bestRun.scale, (done, total) =>
    step({ phase: 'shaped starts', done, total }),
  );
  let evaluations = shapedStartRuns(ranked.length);
  if (shaped) {
    ub = { value: shaped.scale, source: `policy:${shaped.label}` };
    incumbent();
  }
  const base = shaped
    ? { policy: shaped.policy, label: shaped.label, scale: shaped.scale }
    : { policy: getPolicy(bestRun.name), label: bestRun.name, scale: bestRun.scale };
  const capTokens = shaped?.capTokens ? { prefillBatchTokenCap: shaped.capTokens } : {};

  const moves = options.searchMoves ?? defaultPriorityMoves(calls);
  // The placement search starts from the priority search's best schedule, when it found one.
  let start: { policy: Policy; source: string; prefillBatchTokenCap?: number } | undefined = shaped
    ? { policy: shaped.policy, source: `policy:${shaped.label}`, ...capTokens }
    : undefined;
  if (moves > 0) {
    log(`priority search from ${base.label} (${moves} moves)`);
    const found = await searchPriorities(scenario, {
      quantile: q,
      policy: base.label,
      inner: base.policy,
      moves,
      seed: options.seed ?? 1,
      onMove: (done, total) => step({ phase: 'priority search', done, total }),
    });
    evaluations += found.evaluations;
    if (found.scale < ub.value) ub = { value: found.scale, source: found.source };
    if (found.scale < base.scale) start = { policy: found.best, source: found.source, ...capTokens };
    incumbent();
  }

  const placementMoves = options.placementMoves ?? defaultPlacementMoves(calls);
  if (placementMoves > 0) {
    log(`placement search from ${start ? start.source : base.label} (${placementMoves} moves)`);
    const found = await searchPlacement(scenario, {
      quantile: q,
      policy: base.label,
      ...(start ? { start } : {}),
      moves: placementMoves,
      seed: options.seed ?? 1,
      onMove: (done, total) => step({ phase: 'placement search', done, total }),
    });
    evaluations += found.evaluations;
    if (found.scale < ub.value) ub = { value: found.scale, source: found.source };
    incumbent();
  }

  let ilpScale: number | null = null;
  const ilp = options.ilp ?? 'auto';
  const beyondModel = ilp === 'off' ? null : modelReachProblem(scenario);
  if (beyondModel) notes.push(`placement ILP not run: ${beyondModel}`);
  else if (ilp === 'on' || (ilp === 'auto' && calls <= REALISTIC_GAP_MAX_ILP_CALLS)) {
    log(`solving the placement ILP (${options.solver}, limit ${options.timeLimitS} s) to replay its plan`);
    const placement = await solvePlacement(scenario, {
      objective: 'quantile-scale',
      quantile: q,
      solver: options.solver,
      timeLimitS: options.timeLimitS,
      onProgress: log,
    });
    if (placement.plan) {
      ilpScale = requiredScale(
        simulate(scenario, replay, { mode: 'realistic', plan: placement.plan }).scales,
        q,
      );
      if (ilpScale < ub.value)
        ub = { value: ilpScale, source: `${placement.upperBoundSource} replayed realistic` };
    } else notes.push(`placement ILP gave no plan (${placement.status})`);
    incumbent();
  }

  log('realistic lower bound (time-interval LP, bisection on k)');
  const t0 = performance.now();
  const lb = await realisticLowerBound(scenario, {
    quantile: q,
    achievedScale: ub.value,
    timeLimitS: options.timeLimitS,
    solver: options.solver,
    ...(options.intervals !== undefined ? { intervals: options.intervals } : {}),
    onProgress: log,
    onProbe: (done, atMost) => step({ phase: 'lower bound', done, total: atMost }),
  });
  const lpS = (performance.now() - t0) / 1000;
  notes.push(...lb.notes);
  if (lb.value > ub.value * (1 + 1e-9)) {
    // A schedule below a lower bound would be a bug in the bound; never report it as one.
    notes.push(
      `lower bound ${lb.value} (${lb.source}) exceeds the schedule ${ub.value} (${ub.source}): discarded`,
    );
  }
  const lower = lb.value > ub.value * (1 + 1e-9) ? { value: 1, source: 'none' } : lb;
  const sideBySide = sideBySideMixedNote(scenario.cost.instances);
  if (sideBySide !== null) notes.push(sideBySide);
  const policies = runs
    .map((r) => ({
      name: r.name,
      scale: r.scale,
      ...gapPercents(r.scale, lower.value, ub.value),
    }))
    .sort(byScaleThenName);
  return {
    mode: 'realistic',
    quantile: q,
    workflows: W,
    calls,
    optimum: {
      status: ub.value - lower.value <= 1e-6 * Math.max(1, ub.value) ? 'optimal' : 'bracket',
      lower_bound: lower.value,
      lower_bound_source: lower.source,
      upper_bound: ub.value,
      upper_bound_source: ub.source,
      critical_path_bound: lb.criticalPath,
      lp_solves: lb.solves,
      lp_s: lpS,
      search_evaluations: evaluations,
      ilp_plan_realistic_scale: ilpScale,
    },
    policies,
    notes,
  };
}

/**
 * About 2.4M simulated calls of placement search (a few seconds, small beside the LPs: its
 * candidates replay fixed decisions, ~2.5 µs per call): 4,000 moves up to 600 calls, ~1,800 at
 * 1.3k, ~45 at 53k.
 */
export function defaultPlacementMoves(calls: number): number {
  return Math.max(2, Math.min(4000, Math.floor(2_400_000 / Math.max(1, calls))));
}

/**
 * 60 priority moves up to 20k calls, then about 1.2M simulated calls (22 at 53k): each of its
 * candidates runs a whole online policy, ~20 µs per call for hexagent with tiers and prefill
 * caps, so 60 moves at 53k calls were a minute of `gap`.
 */
export function defaultPriorityMoves(calls: number): number {
  return Math.max(10, Math.min(60, Math.floor(1_200_000 / Math.max(1, calls))));
}

/**
 * Says which mixed instances ran (and were bounded) with a GPU for each stage: the cluster's
 * default, optimistic for an engine that colocates both stages on one GPU.
 */
function sideBySideMixedNote(instances: readonly ResolvedInstance[]): string | null {
  const ids = instances.filter((i) => i.role === 'mixed' && !i.timeshare).map((i) => i.id);
  if (ids.length === 0) return null;
  return (
    `mixed instance${ids.length === 1 ? '' : 's'} ${ids.join(', ')}: prefill and decode side by side, as if on a GPU each ` +
    '(the cluster field mixed_timeshare "chunked" shares one, as a colocating engine does)'
  );
}
