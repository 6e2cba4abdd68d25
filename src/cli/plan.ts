import type { Argv, CommandModule } from 'yargs';
import { objectiveNames } from '../objective/registry.ts';
import { solvePlacement } from '../placement/solve.ts';
import type { PlacementOptions } from '../placement/types.ts';
import type { Objective } from '../schema/plan.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { closeIdleWorkers } from '../solver/solve.ts';
import { emit, info, progressEnabled, scenarioFrom, withScenarioOptions, writeJsonOutput } from './common.ts';

/** Options shared by `plan` and `export-lp`: the same options build the same model. */
export interface PlacementArgs {
  objective: string;
  quantile: number;
  solver: string;
  'time-limit': number;
  'mip-gap'?: number;
  formulation: string;
  delta: number;
}

export function withPlacementOptions<T>(y: Argv<T>) {
  return y
    .option('objective', {
      type: 'string',
      default: 'quantile-scale',
      choices: objectiveNames(),
      describe: 'what to minimize',
    })
    .option('quantile', { type: 'number', default: 0.95, describe: 'q of the quantile-scale objective' })
    .option('solver', { type: 'string', default: 'highs', choices: [...SOLVER_NAMES] })
    .option('time-limit', { type: 'number', default: 60, describe: 'solver time limit, seconds' })
    .option('mip-gap', {
      type: 'number',
      describe: 'relative MIP gap at which the solver stops (default 1e-6)',
    })
    .option('formulation', {
      type: 'string',
      default: 'auto',
      choices: ['auto', 'continuous', 'time-indexed'],
      describe: 'auto = exact continuous-time model; time-indexed = Δ-step model (durations rounded up)',
    })
    .option('delta', {
      type: 'number',
      default: 0.5,
      describe: 'time step of the time-indexed model, seconds',
    });
}

export function placementOptionsFrom(
  argv: PlacementArgs,
): Partial<PlacementOptions> & Pick<PlacementOptions, 'objective'> {
  return {
    objective: argv.objective as Objective,
    quantile: argv.quantile,
    solver: argv.solver as SolverName,
    timeLimitS: argv['time-limit'],
    ...(argv['mip-gap'] !== undefined ? { mipRelGap: argv['mip-gap'] } : {}),
    formulation: argv.formulation as PlacementOptions['formulation'],
    deltaS: argv.delta,
  };
}

interface Args extends PlacementArgs {
  workload: string;
  cluster: string;
  output?: string;
  json: boolean;
}

export const planCommand: CommandModule<object, Args> = {
  command: 'plan',
  builder: (y) =>
    withPlacementOptions(withScenarioOptions(y))
      .option('output', { alias: 'o', type: 'string', describe: 'write the plan (hexplan/plan@1) here' })
      .example(
        '$0 plan -w instances/workloads/small.json -o plan.json',
        'optimal plan for the small instance',
      )
      .example(
        '$0 plan --objective makespan --solver glpk --time-limit 30 --json',
        'makespan with GLPK',
      ) as never,
  handler: async (argv) => {
    const scenario = scenarioFrom(argv);
    const result = await solvePlacement(scenario, {
      ...placementOptionsFrom(argv),
      ...(progressEnabled() ? { onProgress: info } : {}),
    });
    // Solver workers are kept for reuse; a CLI run ends here, so let the process exit.
    await closeIdleWorkers();
    if (argv.output && result.plan) writeJsonOutput(argv.output, result.plan);
    const out = {
      status: result.status,
      objective: result.upperBound,
      lower_bound: result.lowerBound,
      gap: result.gap,
      solver: result.solver,
      solve_s: result.solveS,
      objective_name: result.objective,
      quantile: result.quantile,
      upper_bound_source: result.upperBoundSource,
      lower_bound_source: result.lowerBoundSource,
      bounds: result.bounds,
      solver_status: result.solverStatus,
      solver_objective: result.solverObjective,
      formulation: result.formulation,
      heuristics: result.heuristics,
      model: result.modelStats,
      ...(result.message ? { message: result.message } : {}),
      plan: result.plan,
    };
    emit(argv.json, out, () =>
      [
        `status       ${result.status}`,
        `objective    ${result.objective}${result.objective === 'quantile-scale' ? ` (q = ${result.quantile})` : ''}: ${fmtNum(result.upperBound)}  [${result.upperBoundSource}]`,
        `lower bound  ${fmtNum(result.lowerBound)}  [${result.lowerBoundSource}]`,
        `gap          ${result.gap === null ? '-' : `${(result.gap * 100).toFixed(4)}%`} (UB/LB - 1)`,
        `solver       ${result.solver} (${result.formulation ?? 'no model'}, status ${result.solverStatus ?? '-'}), ${result.solveS.toFixed(1)} s`,
        ...(result.message ? [`note         ${result.message}`] : []),
        ...(argv.output ? [`plan         ${argv.output}`] : []),
      ].join('\n'),
    );
  },
};

function fmtNum(x: number | null): string {
  return x === null ? '-' : x.toPrecision(8);
}
