import { loadPlan } from '../scenario/documents.ts';
import { loadScenario } from '../scenario/scenario.ts';
import type { CallRecord } from '../schema/results.ts';
import { simulate } from '../sim/simulate.ts';
import { readTraceCalls } from './readTrace.ts';

/** The calls of a `simulate --trace` file, for the Gantt chart. */
export function scheduleFromTrace(file: string): { calls: CallRecord[]; source: string } {
  return { calls: readTraceCalls(file), source: file };
}

/**
 * The calls of an offline plan, as the exact simulator replays it (a plan holds start times and
 * instances; the durations come from the one cost model, so the chart shows what the plan means).
 */
export function scheduleFromPlan(
  planFile: string,
  workloadFile?: string,
  clusterFile?: string,
): { calls: CallRecord[]; source: string } {
  const plan = loadPlan(planFile);
  const scenario = loadScenario(workloadFile, clusterFile);
  return { calls: simulate(scenario, 'replay', { mode: 'exact', plan }).calls, source: planFile };
}
