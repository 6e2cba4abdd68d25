import { allPolicies } from '../policy/registry.ts';
import { replay } from '../policy/replay.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Objective, Plan } from '../schema/plan.ts';
import { simulate } from '../sim/simulate.ts';
import type { SimMode, SimResult } from '../sim/types.ts';
import type { Deadline } from '../util/deadline.ts';
import type { PlacementData } from './data.ts';
import { greedySchedule } from './greedy.ts';
import { finishTimesS, objectiveOfFinishes, type Schedule } from './schedule.ts';

export const GREEDY_MAX_CALLS = 2000;

/** The best schedule known before solving: the warm start and the first upper bound. */
export interface HeuristicStart {
  schedule: Schedule;
  value: number;
  makespanS: number;
  /** e.g. "heuristic:hexagent". */
  source: string;
  /** Every candidate's objective, for reports. */
  candidates: Record<string, number>;
  /** Candidates not run because the deadline passed. */
  skipped: string[];
}

function scheduleOfRun(result: SimResult): Schedule {
  const t = result.trace;
  return {
    prefillInstance: Int32Array.from(t.prefillInstance),
    decodeInstance: Int32Array.from(t.decodeInstance),
    prefillStartS: Float64Array.from(t.prefillStartS),
    decodeStartS: Float64Array.from(t.decodeStartS),
  };
}

/**
 * Simulates every registered online policy (not the plan-following ones) in exact mode, plus the offline
 * greedy, and keeps the best objective (ties: the first in registry order, greedy last).
 */
export function bestHeuristic(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  log: (m: string) => void = () => {},
  deadline?: Deadline,
): HeuristicStart {
  const candidates: Record<string, number> = {};
  const skipped: string[] = [];
  let best: HeuristicStart | null = null;
  const consider = (source: string, schedule: Schedule, finish: ArrayLike<number>) => {
    const value = objectiveOfFinishes(data, objective, quantile, finish);
    candidates[source] = value;
    log(`${source}: ${objective} ${value}`);
    if (!best || value < best.value) {
      best = { schedule, value, makespanS: Math.max(...Array.from(finish)), source, candidates, skipped };
    }
  };
  // The first candidate always runs (a plan needs one); the rest only while time is left.
  const timeLeft = () => !best || !deadline?.expired();
  for (const policy of allPolicies()) {
    if (policy.needsPlan) continue;
    const source = `heuristic:${policy.name}`;
    if (!timeLeft()) {
      skipped.push(source);
      continue;
    }
    const run = simulate(data.scenario, policy, { mode: 'exact' });
    consider(source, scheduleOfRun(run), run.finishS);
  }
  // The greedy's gap search is quadratic: only for instances a model can take.
  if (data.calls.length <= GREEDY_MAX_CALLS) {
    if (timeLeft()) {
      const greedy = greedySchedule(data);
      consider('heuristic:offline-greedy', greedy, finishTimesS(data, greedy));
    } else skipped.push('heuristic:offline-greedy');
  }
  return best!;
}

/**
 * A plan's objective as the simulator's `replay` policy executes it: the number every upper
 * bound reports.
 */
export function replayPlan(
  scenario: Scenario,
  plan: Plan,
  data: PlacementData,
  mode: SimMode = 'exact',
): { value: number; finishS: Float64Array; scoredBy: string } {
  const quantile = plan.quantile ?? 0.95;
  const run = simulate(scenario, replay, { mode, plan });
  return {
    value: objectiveOfFinishes(data, plan.objective, quantile, run.finishS),
    finishS: run.finishS,
    scoredBy: `replay:${mode}`,
  };
}
