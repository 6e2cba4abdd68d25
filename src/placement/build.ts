import { HexplanError, optionError, problem } from '../errors.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import { isSolverName } from '../solver/backends/registry.ts';
import type { Model } from '../solver/model.ts';
import { buildContinuousModel, type ModelStats } from './continuous.ts';
import { type PlacementData, placementData } from './data.ts';
import { bestHeuristic, type HeuristicStart } from './heuristic.ts';
import { checkObjective } from './objectives.ts';
import { type Schedule, scheduleToPlan } from './schedule.ts';
import { buildTimeIndexedModel } from './timeIndexed.ts';
import type { PlacementOptions } from './types.ts';

export const DEFAULT_DELTA_S = 0.5;
/** Beyond this many calls no model is built: `plan` and `export-lp` refuse. */
export const MAX_MODEL_CALLS = 600;
/**
 * Beyond this many (call, prefill instance, decode instance) triples no model is built: each is
 * a binary of the continuous model, and the warm start's data and greedy grow with them
 * (25 calls on a 1,000-instance cluster are 6 million).
 */
export const MAX_MODEL_PAIRS = 100_000;

/**
 * Refuses a scenario past the placement model's reach, counted from the workload and the
 * cluster alone: on 10,000 calls the data and heuristics cost seconds and gigabytes, all for a
 * refusal, so nothing is prepared first.
 */
export function checkModelReach(scenario: Scenario): void {
  const why = modelReachProblem(scenario);
  if (why) throw new HexplanError(`${why}; use \`hexplan gap\` for bounds on large instances`);
}

/** Why a scenario is past the placement model's reach (`FILE: field: message`), or null. */
export function modelReachProblem(scenario: Scenario): string | null {
  const flows = scenario.workload.workflows;
  const calls = flows.reduce((n, wf) => n + wf.calls.length, 0);
  if (calls > MAX_MODEL_CALLS) {
    return problem(
      scenario.workloadFile,
      'workflows',
      `${calls} calls is beyond the placement model's reach (at most ${MAX_MODEL_CALLS})`,
    );
  }
  const { cost } = scenario;
  const pairsByModel = new Map<string, number>();
  let pairs = 0;
  for (const wf of flows) {
    let per = pairsByModel.get(wf.model);
    if (per === undefined) {
      per = cost.prefillInstancesFor(wf.model).length * cost.decodeInstancesFor(wf.model).length;
      pairsByModel.set(wf.model, per);
    }
    pairs += per * wf.calls.length;
  }
  if (pairs > MAX_MODEL_PAIRS) {
    return problem(
      scenario.clusterFile,
      'instances',
      `${cost.instances.length} instances give ${pairs} (call, prefill, decode) placements over ${calls} calls, ` +
        `beyond the placement model's reach (at most ${MAX_MODEL_PAIRS})`,
    );
  }
  return null;
}

export type Formulation = 'continuous' | 'time-indexed';

/** The model that `plan` solves and `export-lp` writes: one builder, so they cannot differ. */
export interface PlacementModel {
  formulation: Formulation;
  /** Time step of the time-indexed model (durations rounded up: its plans are feasible). */
  deltaS: number | null;
  model: Model;
  data: PlacementData;
  heuristic: HeuristicStart;
  decode(values: ArrayLike<number>): Schedule;
  /** A solution's plan (its times are the solver's). */
  toPlan(values: ArrayLike<number>, reported?: Plan['reported']): Plan;
  /** Every column's value for the heuristic schedule (the solver's starting point). */
  start(): Float64Array;
  stats: ModelStats;
}

/** Fills defaults and rejects bad options with a message naming the option. */
export function normalizeOptions(options: Partial<PlacementOptions>): PlacementOptions {
  const o: PlacementOptions = {
    objective: options.objective ?? 'quantile-scale',
    quantile: options.quantile ?? 0.95,
    solver: options.solver ?? 'highs',
    timeLimitS: options.timeLimitS ?? 60,
    formulation: options.formulation ?? 'auto',
    deltaS: options.deltaS ?? DEFAULT_DELTA_S,
    warmStart: options.warmStart ?? true,
    ...(options.mipRelGap !== undefined ? { mipRelGap: options.mipRelGap } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.deadline ? { deadline: options.deadline } : {}),
    ...(options.onIncumbent ? { onIncumbent: options.onIncumbent } : {}),
  };
  if (!isSolverName(o.solver))
    throw optionError('solver', `unknown solver "${o.solver}" (known: highs, glpk, jslp)`);
  if (!['continuous', 'time-indexed', 'auto'].includes(o.formulation!)) {
    throw optionError('formulation', `unknown "${o.formulation}" (known: auto, continuous, time-indexed)`);
  }
  if (!(o.timeLimitS > 0)) throw optionError('timeLimitS', `must be > 0, got ${o.timeLimitS}`);
  if (!(o.deltaS! > 0)) throw optionError('deltaS', `must be > 0, got ${o.deltaS}`);
  if (!(o.quantile > 0 && o.quantile <= 1))
    throw optionError('quantile', `must be in (0, 1], got ${o.quantile}`);
  return o;
}

/**
 * `auto` is the exact continuous model: warm-started, it never does worse than the heuristic,
 * while the time-indexed (rounded-up) model's plans are approximations; the time-indexed
 * model's LP (rounded down) is used for bounds in either case.
 */
export function chooseFormulation(requested: PlacementOptions['formulation']): Formulation {
  if (requested === 'continuous' || requested === 'time-indexed') return requested;
  return 'continuous';
}

export function buildPlacementModel(
  scenario: Scenario,
  options: Partial<PlacementOptions>,
  prepared?: { data: PlacementData; heuristic: HeuristicStart },
): PlacementModel {
  const o = normalizeOptions(options);
  checkModelReach(scenario);
  const data = prepared?.data ?? placementData(scenario);
  checkObjective(data, o.objective, o.quantile);
  const formulation = chooseFormulation(o.formulation);
  const heuristic = prepared?.heuristic ?? bestHeuristic(data, o.objective, o.quantile, o.onProgress);
  const built: {
    model: Model;
    decode(values: ArrayLike<number>): Schedule;
    startFrom(s: Schedule, value: number): Float64Array;
    stats: ModelStats;
    gridStart?: { schedule: Schedule; value: number } | null;
  } =
    formulation === 'continuous'
      ? buildContinuousModel(data, o.objective, o.quantile, heuristic.value)
      : buildTimeIndexedModel(data, o.objective, o.quantile, heuristic.value, {
          deltaS: o.deltaS!,
          rounding: 'up',
        });
  return {
    formulation,
    deltaS: formulation === 'time-indexed' ? o.deltaS! : null,
    model: built.model,
    data,
    heuristic,
    decode: built.decode,
    toPlan: (values, reported) =>
      scheduleToPlan(data, built.decode(values), o.objective, o.quantile, reported),
    // The time-indexed (rounded-up) model starts from its own grid schedule: the exact
    // heuristic's times are not on the grid.
    start: () =>
      built.gridStart
        ? built.startFrom(built.gridStart.schedule, built.gridStart.value)
        : built.startFrom(heuristic.schedule, heuristic.value),
    stats: built.stats,
  };
}
