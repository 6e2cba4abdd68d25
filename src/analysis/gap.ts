import { bestCheapBound, type CheapBound } from '../bounds/cheap.ts';
import { solveExact } from '../check/oracle/exhaustive.ts';
import { planFromSimulation } from '../check/verify/fromSimulation.ts';
import { approxEqual } from '../check/verify/tolerance.ts';
import { verifyPlan } from '../check/verify/verifyPlan.ts';
import { modelReachProblem } from '../placement/build.ts';
import { solvePlacement } from '../placement/solve.ts';
import type { PlacementResult } from '../placement/types.ts';
import { ONLINE_POLICY_NAMES } from '../policy/registry.ts';
import { replay } from '../policy/replay.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import { simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import type { GapIncumbent } from './gapIncumbent.ts';
import type { GapStepListener } from './gapProgress.ts';
import { byScaleThenName, gapPercents, type PolicyGap } from './policyGap.ts';

/** Above this many calls `hexplan gap` skips the ILP (auto) and reports cheap bounds only. */
export const GAP_MAX_ILP_CALLS = 120;
/** Up to this many calls the exhaustive oracle runs too (src/check/oracle/). */
export const GAP_ORACLE_MAX_CALLS = 8;
/**
 * …and the cluster has at most this many instances: the oracle branches over instances per
 * call, so at 100 instances it took 9.5 s and at 1,000 over 900 s even for 8 calls.
 */
export const GAP_ORACLE_MAX_INSTANCES = 32;
/** Default solver time limit: the Quick start (small.json on hetero-6) stays under two minutes. */
export const GAP_DEFAULT_TIME_LIMIT_S = 30;

export interface GapOptions {
  quantile: number;
  solver: SolverName;
  timeLimitS: number;
  /** Online policies to compare (default: every registered online one). */
  policies?: string[];
  /** `auto`: solve the ILP up to GAP_MAX_ILP_CALLS calls; `on`: always; `off`: never. */
  ilp?: 'auto' | 'on' | 'off';
  onProgress?: (message: string) => void;
  onStep?: GapStepListener;
  /** Called whenever the bracket tightens, so an interrupted run can report it. */
  onIncumbent?: (incumbent: GapIncumbent) => void;
}

export interface GapPolicy extends PolicyGap {
  /** Its exact-mode schedule passed the independent verifier. */
  verified: boolean;
}

/** `hexplan gap --json`, exactly (snake_case; extra fields beyond the contract are additive). */
export interface GapReport {
  mode: 'exact';
  quantile: number;
  workflows: number;
  calls: number;
  optimum: {
    status: string;
    lower_bound: number;
    lower_bound_source: string;
    upper_bound: number;
    upper_bound_source: string;
    lp_bound: number | null;
    solver: string;
    solve_s: number;
    cheap_bounds: CheapBound[];
    solver_lower_bound: number | null;
    solver_plan_verified: boolean | null;
    solver_plan_violations: string[];
    /** Proven optimum of the exhaustive oracle (≤ GAP_ORACLE_MAX_CALLS calls), else null. */
    oracle_optimum: number | null;
  };
  policies: GapPolicy[];
  model_error: {
    plan_source: string;
    exact_scale: number;
    realistic_scale: number;
    /** realistic / exact − 1, in %. */
    relative_pct: number;
  } | null;
  notes: string[];
}

/**
 * The headline (docs/concepts.md "Optimality gap"): every online policy in exact mode against the
 * optimum's bounds. LB = the strongest valid bound (cheap bounds, the solver's proven bound
 * unless a verified schedule contradicts it). UB = the best of the solver's plan, only once
 * the independent verifier accepts it, and the best policy's (verified) schedule.
 */
export async function runGap(scenario: Scenario, options: GapOptions): Promise<GapReport> {
  const q = options.quantile;
  const log = options.onProgress ?? (() => {});
  const notes: string[] = [];
  const W = scenario.workload.workflows.length;
  const calls = scenario.workload.workflows.reduce((n, wf) => n + wf.calls.length, 0);
  const names = options.policies ?? ONLINE_POLICY_NAMES;

  log('cheap bounds');
  const cheap = bestCheapBound(scenario, 'quantile-scale', q);
  let lb = { value: cheap.value, source: `cheap:${cheap.source}` };

  const runs: { name: string; scale: number; plan: Plan; verified: boolean }[] = [];
  let ub = { value: Number.POSITIVE_INFINITY, source: 'none', plan: null as Plan | null };
  const incumbent = () =>
    options.onIncumbent?.({
      mode: 'exact',
      quantile: q,
      workflows: W,
      calls,
      lower_bound: lb.value,
      lower_bound_source: lb.source,
      upper_bound: ub.value,
      upper_bound_source: ub.source,
      policies: runs.map((r) => ({ name: r.name, scale: r.scale, verified: r.verified })),
    });
  for (const name of names) {
    log(`simulating ${name} (exact mode)`);
    const result = simulate(scenario, name, { mode: 'exact' });
    const scale = requiredScale(result.scales, q);
    const plan = planFromSimulation(result, 'quantile-scale', q, scale);
    const check = verifyPlan(scenario, plan, { quantile: q });
    if (!check.ok) notes.push(`${name}'s exact-mode schedule fails verify: ${check.violations[0]}`);
    runs.push({ name, scale, plan, verified: check.ok });
    const best = runs.filter((r) => r.verified).sort(byScaleThenName)[0];
    // Each policy's verified run is kept as it ends: a Ctrl-C during the next still reports it.
    if (best) ub = { value: best.scale, source: `policy:${best.name}`, plan: best.plan };
    incumbent();
    options.onStep?.({ phase: 'policies', done: runs.length, total: names.length });
    await yieldToEventLoop();
  }

  // Tiny instances: the exhaustive oracle (no shared code with the ILP) proves the optimum
  // by itself; its plan still goes through the verifier before it counts.
  let oracleValue: number | null = null;
  const instances = scenario.cluster.instances.length;
  if (calls <= GAP_ORACLE_MAX_CALLS && instances > GAP_ORACLE_MAX_INSTANCES)
    notes.push(
      `exhaustive oracle not run: ${instances} instances > ${GAP_ORACLE_MAX_INSTANCES} (its search grows with instances per call)`,
    );
  else if (calls <= GAP_ORACLE_MAX_CALLS) {
    log('exhaustive oracle');
    const exact = solveExact(scenario, { objective: 'quantile-scale', quantile: q, maxNodes: 2_000_000 });
    const check = verifyPlan(scenario, exact.plan, { quantile: q });
    if (!check.ok) notes.push(`the oracle's plan fails verify: ${check.violations[0]}`);
    else if (exact.status === 'optimal') {
      oracleValue = check.values!.requiredScale;
      if (oracleValue > lb.value) lb = { value: oracleValue, source: 'oracle:exhaustive' };
      if (oracleValue < ub.value)
        ub = { value: oracleValue, source: 'oracle:exhaustive (verified)', plan: exact.plan };
    }
  }
  incumbent();

  const mode = options.ilp ?? 'auto';
  // Nothing for a solver to prove when a cheap bound already meets a verified schedule.
  const alreadyProven = Number.isFinite(ub.value) && boundsMeet(lb.value, ub.value);
  const beyondModel = mode === 'off' ? null : modelReachProblem(scenario);
  const useIlp =
    !beyondModel && (mode === 'on' || (mode === 'auto' && calls <= GAP_MAX_ILP_CALLS && !alreadyProven));
  let placement: PlacementResult | null = null;
  let status = 'skipped';
  let solverPlanVerified: boolean | null = null;
  let solverPlanViolations: string[] = [];
  let solveS = 0;
  if (!useIlp) {
    notes.push(
      beyondModel
        ? `ILP not run: ${beyondModel}`
        : mode === 'off'
          ? 'ILP not run (--ilp off): cheap bounds and the best policy only'
          : alreadyProven
            ? lb.source === 'oracle:exhaustive'
              ? `ILP not needed: the exhaustive oracle proves the optimum (≤ ${GAP_ORACLE_MAX_CALLS} calls)`
              : `ILP not needed: ${lb.source} meets ${ub.source}, so the optimum is proven`
            : `${calls} calls > ${GAP_MAX_ILP_CALLS}: ILP skipped; cheap bounds and the best policy only`,
    );
  } else {
    log(`solving the placement ILP (${options.solver}, limit ${options.timeLimitS} s)`);
    placement = await solvePlacement(scenario, {
      objective: 'quantile-scale',
      quantile: q,
      solver: options.solver,
      timeLimitS: options.timeLimitS,
      onProgress: log,
    });
    solveS = placement.solveS;
    status = placement.status;
    if (placement.plan) {
      const check = verifyPlan(scenario, placement.plan, { quantile: q });
      solverPlanVerified = check.ok;
      solverPlanViolations = check.violations.slice(0, 20);
      if (!check.ok) {
        notes.push(
          `the solver's plan FAILS verify (${check.violations.length} violations, first: ${check.violations[0]}); not used as an upper bound`,
        );
      } else if (check.values!.requiredScale < ub.value) {
        ub = {
          value: check.values!.requiredScale,
          source: `${placement.upperBoundSource} (verified)`,
          plan: placement.plan,
        };
      }
    }
    const solverLb = placement.lowerBound;
    if (solverLb !== null && solverLb > lb.value) {
      if (solverLb > ub.value && !approxEqual(solverLb, ub.value)) {
        notes.push(
          `the solver's lower bound ${solverLb} (${placement.lowerBoundSource}) exceeds the verified schedule ` +
            `${ub.value} (${ub.source}): it is not a valid bound and is ignored`,
        );
        status = 'error';
      } else lb = { value: Math.min(solverLb, ub.value), source: placement.lowerBoundSource };
    }
    if (
      oracleValue !== null &&
      placement.status === 'optimal' &&
      !approxEqual(placement.upperBound ?? Number.NaN, oracleValue)
    ) {
      notes.push(
        `the solver calls ${placement.upperBound} optimal but the exhaustive oracle proves ${oracleValue}`,
      );
    }
    if (placement.message) notes.push(`solver: ${placement.message}`);
  }
  incumbent();
  // Proven optimal only when the bounds meet, whatever produced them.
  if (Number.isFinite(ub.value) && boundsMeet(lb.value, ub.value)) status = 'optimal';
  else if (status === 'optimal') status = 'time_limit';

  let modelError: GapReport['model_error'] = null;
  if (ub.plan) {
    log('replaying the best plan in realistic mode');
    const exact = requiredScale(simulate(scenario, replay, { mode: 'exact', plan: ub.plan }).scales, q);
    const realistic = requiredScale(
      simulate(scenario, replay, { mode: 'realistic', plan: ub.plan }).scales,
      q,
    );
    modelError = {
      plan_source: ub.source,
      exact_scale: exact,
      realistic_scale: realistic,
      relative_pct: (realistic / exact - 1) * 100,
    };
    if (!approxEqual(exact, ub.value))
      notes.push(`exact replay of the best plan gives ${exact}, not ${ub.value}`);
  }

  const policies = runs
    .map((r) => ({
      name: r.name,
      scale: r.scale,
      ...gapPercents(r.scale, lb.value, ub.value),
      verified: r.verified,
    }))
    .sort(byScaleThenName);
  return {
    mode: 'exact',
    quantile: q,
    workflows: W,
    calls,
    optimum: {
      status,
      lower_bound: lb.value,
      lower_bound_source: lb.source,
      upper_bound: ub.value,
      upper_bound_source: ub.source,
      lp_bound: placement?.lpBound ?? null,
      solver: useIlp ? options.solver : 'none',
      solve_s: solveS,
      cheap_bounds: cheap.all,
      solver_lower_bound: placement?.lowerBound ?? null,
      solver_plan_verified: solverPlanVerified,
      solver_plan_violations: solverPlanViolations,
      oracle_optimum: oracleValue,
    },
    policies,
    model_error: modelError,
    notes,
  };
}

/** The bounds meet: relative 1e-6, the placement solver's own optimality tolerance. */
function boundsMeet(lb: number, ub: number): boolean {
  return ub - lb <= 1e-6 * Math.max(1, Math.abs(ub));
}
