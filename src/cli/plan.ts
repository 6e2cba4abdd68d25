import { z } from 'zod';
import { verifyPlan } from '../check/verify/verifyPlan.ts';
import { DEFAULT_OBJECTIVE, objectiveNames } from '../objective/registry.ts';
import { solvePlacement } from '../placement/solve.ts';
import type { PlacementOptions } from '../placement/types.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Objective, Plan } from '../schema/plan.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { closeIdleWorkers } from '../solver/solve.ts';
import { deadlineIn } from '../util/deadline.ts';
import { scenarioFrom, writeJsonOutput } from './common.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag, quantileFlag, registryFlag, scenarioFlags, timeLimitFlag } from './options.ts';

/** Options shared by `plan` and `export-lp`: the same options build the same model. */
export const placementFlags = () => ({
  ...scenarioFlags(),
  objective: registryFlag(objectiveNames, 'what to minimize', DEFAULT_OBJECTIVE),
  quantile: quantileFlag(),
  solver: registryFlag(() => SOLVER_NAMES, 'MILP solver', 'highs'),
  timeLimit: timeLimitFlag(60),
  mipGap: flag(z.number().nonnegative().optional(), {
    describe: 'relative MIP gap at which the solver stops (default 1e-6)',
  }),
  formulation: flag(z.enum(['auto', 'continuous', 'time-indexed']).default('auto'), {
    describe: 'auto = exact continuous-time model; time-indexed = Δ-step model (durations rounded up)',
  }),
  delta: flag(z.number().positive().default(0.5), {
    describe: 'time step of the time-indexed model, seconds',
  }),
});

export const PLACEMENT_FIELD_FLAGS = {
  quantile: 'quantile',
  solver: 'solver',
  timeLimitS: 'time-limit',
  deltaS: 'delta',
  formulation: 'formulation',
  mipRelGap: 'mip-gap',
} as const;

type PlacementFlags = z.output<z.ZodObject<ReturnType<typeof placementFlags>>>;

export function placementOptionsFrom(
  o: PlacementFlags,
): Partial<PlacementOptions> & Pick<PlacementOptions, 'objective'> {
  return {
    objective: o.objective as Objective,
    quantile: o.quantile,
    solver: o.solver as SolverName,
    timeLimitS: o.timeLimit,
    ...(o.mipGap !== undefined ? { mipRelGap: o.mipGap } : {}),
    formulation: o.formulation,
    deltaS: o.delta,
  };
}

export const planCommand = defineCommand({
  options: {
    ...placementFlags(),
    output: outputFlag('write the plan (hexplan/plan@1) here'),
  },
  fieldFlags: PLACEMENT_FIELD_FLAGS,
  examples: [
    ['$0 plan -w instances/workloads/small.json -o plan.json', 'optimal plan for the small instance'],
    ['$0 plan --objective makespan --solver glpk --time-limit 30 --json', 'makespan with GLPK'],
  ],
  run: async (o, ctx) => {
    // The time limit bounds the whole command, from here: loading, heuristics, model, solve, bounds.
    const deadline = deadlineIn(o.timeLimit);
    const startedMs = performance.now();
    const scenario = scenarioFrom(o);
    const incumbent: { plan: Plan | null; value: number } = { plan: null, value: Number.POSITIVE_INFINITY };
    if (o.output) ctx.onInterrupt(() => saveInterrupted(o.output!, scenario, incumbent.plan, o.solver));
    // Progress over the time budget: its ETA is when the time limit ends the run at the latest.
    const budgetDs = Math.max(1, Math.round(o.timeLimit * 10));
    const progress = ctx.progress('plan', budgetDs);
    let phase = 'heuristics';
    const tick = () =>
      progress.update(
        Math.min(budgetDs - 1, Math.round((performance.now() - startedMs) / 100)),
        `${phase}; best ${Number.isFinite(incumbent.value) ? incumbent.value.toPrecision(6) : '-'}`,
      );
    const timer = setInterval(tick, 1000);
    timer.unref();
    const bar = ctx.progressStyle === 'bar';
    let result: Awaited<ReturnType<typeof solvePlacement>>;
    try {
      result = await solvePlacement(scenario, {
        ...placementOptionsFrom(o),
        deadline,
        onProgress: (m: string) => {
          phase = m;
          if (bar) tick();
          else ctx.info(m);
        },
        onIncumbent: (plan, value) => {
          incumbent.plan = plan;
          incumbent.value = value;
        },
      });
    } finally {
      clearInterval(timer);
      progress.stop();
      // Solver workers are kept for reuse; a CLI run ends here, so let the process exit.
      await closeIdleWorkers();
    }
    if (o.output && result.plan) writeJsonOutput(o.output, result.plan);
    const out = {
      workload: scenario.workloadFile,
      cluster: scenario.clusterFile,
      output: o.output && result.plan ? o.output : null,
      status: result.status,
      objective: result.objective,
      quantile: result.quantile,
      upper_bound: result.upperBound,
      upper_bound_source: result.upperBoundSource,
      lower_bound: result.lowerBound,
      lower_bound_source: result.lowerBoundSource,
      gap: result.gap,
      solver: result.solver,
      solve_s: result.solveS,
      bounds: result.bounds,
      solver_status: result.solverStatus,
      solver_objective: result.solverObjective,
      formulation: result.formulation,
      heuristics: result.heuristics,
      model: result.modelStats,
      message: result.message ?? null,
      plan: result.plan,
    };
    ctx.emit('plan-result', out, () =>
      [
        `status       ${result.status}`,
        `objective    ${result.objective}${result.objective === 'quantile-scale' ? ` (q = ${result.quantile})` : ''}: ${fmtNum(result.upperBound)}  [${result.upperBoundSource}]`,
        `lower bound  ${fmtNum(result.lowerBound)}  [${result.lowerBoundSource}]`,
        `gap          ${result.gap === null ? '-' : `${(result.gap * 100).toFixed(4)}%`} (UB/LB - 1)`,
        `solver       ${result.solver} (${result.formulation ?? 'no model'}, status ${result.solverStatus ?? '-'}), ${result.solveS.toFixed(1)} s`,
        ...(result.message ? [`note         ${result.message}`] : []),
        ...(o.output ? [`plan         ${o.output}`] : []),
      ].join('\n'),
    );
  },
});

/**
 * On SIGINT/SIGTERM: the best plan so far, if it passes `verify`, written atomically with
 * `reported.status: "interrupted"` (its objective recomputed, no lower bound claimed).
 */
function saveInterrupted(file: string, scenario: Scenario, plan: Plan | null, solver: string): string | null {
  if (!plan) return null;
  const unclaimed: Plan = { ...plan };
  delete unclaimed.reported;
  const check = verifyPlan(scenario, unclaimed);
  if (!check.ok || check.objectiveValue === null) return null;
  writeJsonOutput(file, {
    ...unclaimed,
    reported: { status: 'interrupted', objective: check.objectiveValue, lower_bound: null, solver },
  });
  return file;
}

function fmtNum(x: number | null): string {
  return x === null ? '-' : x.toPrecision(8);
}
