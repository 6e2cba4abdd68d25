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
/** Beyond this many calls no model is built: the heuristic and cheap bounds stand alone. */
export const MAX_MODEL_CALLS = 600;

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
  // Counted before any preparation: on 10,000 calls the data and heuristics alone cost seconds
  // and gigabytes, all for a refusal.
  const calls = scenario.workload.workflows.reduce((n, wf) => n + wf.calls.length, 0);
  if (calls > MAX_MODEL_CALLS) {
    throw new HexplanError(
      problem(
        scenario.workloadFile,
        'workflows',
        `${calls} calls is beyond the placement model's reach (at most ${MAX_MODEL_CALLS}); ` +
          'use `hexplan gap` for bounds on large workloads',
      ),
    );
  }
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
