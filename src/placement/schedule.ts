import { getObjective } from '../objective/registry.ts';
import { type Objective, PLAN_SCHEMA, type Plan } from '../schema/plan.ts';
import type { CallRecord } from '../schema/results.ts';
import { objectiveValues } from '../slo/objectiveValues.ts';
import type { PlacementData } from './data.ts';

/** A complete exact-mode schedule, indexed by global call index (see data.ts). */
export interface Schedule {
  prefillInstance: Int32Array;
  decodeInstance: Int32Array;
  prefillStartS: Float64Array;
  decodeStartS: Float64Array;
}

export function emptySchedule(n: number): Schedule {
  return {
    prefillInstance: new Int32Array(n).fill(-1),
    decodeInstance: new Int32Array(n).fill(-1),
    prefillStartS: new Float64Array(n),
    decodeStartS: new Float64Array(n),
  };
}

export function decodeEndS(data: PlacementData, s: Schedule, g: number): number {
  return s.decodeStartS[g]! + data.calls[g]!.decodeS[s.decodeInstance[g]!]!;
}

/** Finish time of every workflow: its latest decode end. */
export function finishTimesS(data: PlacementData, s: Schedule): Float64Array {
  return Float64Array.from(data.workflowCalls, (gs) => Math.max(...gs.map((g) => decodeEndS(data, s, g))));
}

/** The objective's value for given workflow finish times (the verifier's scorer, shared). */
export function objectiveOfFinishes(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  finishS: ArrayLike<number>,
): number {
  const { values } = objectiveValues(data.scenario.workload, data.scenario.standaloneS, finishS, quantile);
  return getObjective(objective).valueOf(values);
}

/** Reads a simulation's per-call records back into a schedule (instance ids → indices). */
export function scheduleFromRecords(data: PlacementData, records: readonly CallRecord[]): Schedule {
  const byKey = new Map<string, number>();
  for (const c of data.calls) byKey.set(`${c.workflowId}\0${c.id}`, c.g);
  const byId = data.scenario.cost.byId;
  const s = emptySchedule(data.calls.length);
  for (const r of records) {
    const g = byKey.get(`${r.workflow}\0${r.call}`);
    if (g === undefined) throw new Error(`record for unknown call ${r.workflow}/${r.call}`);
    s.prefillInstance[g] = byId.get(r.prefill_instance)!.index;
    s.decodeInstance[g] = byId.get(r.decode_instance)!.index;
    s.prefillStartS[g] = r.prefill_start_s;
    s.decodeStartS[g] = r.decode_start_s;
  }
  for (let g = 0; g < data.calls.length; g++) {
    if (s.prefillInstance[g]! < 0)
      throw new Error(`no record for call ${data.calls[g]!.workflowId}/${data.calls[g]!.id}`);
  }
  return s;
}

export function scheduleToPlan(
  data: PlacementData,
  s: Schedule,
  objective: Objective,
  quantile: number,
  reported?: Plan['reported'],
): Plan {
  const inst = data.instances;
  return {
    schema: PLAN_SCHEMA,
    objective,
    ...(getObjective(objective).usesQuantile ? { quantile } : {}),
    ...(reported ? { reported } : {}),
    calls: data.calls.map((c) => ({
      workflow: c.workflowId,
      call: c.id,
      prefill_instance: inst[s.prefillInstance[c.g]!]!.id,
      decode_instance: inst[s.decodeInstance[c.g]!]!.id,
      prefill_start_s: Math.max(0, s.prefillStartS[c.g]!),
      decode_start_s: Math.max(0, s.decodeStartS[c.g]!),
    })),
  };
}
