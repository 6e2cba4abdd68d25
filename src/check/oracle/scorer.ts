import { getObjective } from '../../objective/registry.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Objective } from '../../schema/plan.ts';
import { objectiveValues } from '../../slo/objectiveValues.ts';
import type { OracleProblem } from './problem.ts';
import type { DecodePool, PrefillLane } from './timeline.ts';

/** Objective of complete schedules and a lower bound on every completion of a partial one. */
export function makeScorer(
  scenario: Scenario,
  prob: OracleProblem,
  objective: Objective,
  quantile: number,
  lanes: PrefillLane[],
  pools: DecodePool[],
) {
  const { calls, topo, workflows } = prob;
  const finish = new Float64Array(workflows);
  const callFinish = new Float64Array(calls.length);
  const scoring = getObjective(objective);
  const score = (f: Float64Array) =>
    scoring.valueOf(objectiveValues(scenario.workload, scenario.standaloneS, f, quantile).values);
  // For max-type objectives (makespan, or the quantile when it is the largest scale) a load
  // bound: all decode slot-seconds still to run fit on the decode pools after lastStart, so
  // SOME workflow with work left (unplaced, or a decode running past lastStart) ends at or
  // after B = lastStart + remaining slot-seconds per slot, averaged over instances. Valid per
  // instance d: its slot-seconds after lastStart ≤ slots_d · (B_max − lastStart).
  const maxLike = scoring.maxType(workflows, quantile);
  const decodeInstances = [...new Set(calls.flatMap((c) => c.decode.map((o) => o.inst)))];
  const candidate = new Uint8Array(workflows);
  const decodeLoadBound = (option: Int32Array, end: Float64Array, lastStart: number): number => {
    candidate.fill(0);
    let load = 0;
    calls.forEach((c, g) => {
      const k = option[2 * g + 1]!;
      if (k === -1) {
        candidate[c.workflow] = 1;
        let m = Number.POSITIVE_INFINITY;
        for (const o of c.decode) m = Math.min(m, o.durationS / pools[o.inst]!.slots);
        load += m;
      } else if (end[2 * g + 1]! > lastStart) {
        candidate[c.workflow] = 1;
        const o = c.decode[k]!;
        const startS = end[2 * g + 1]! - o.durationS;
        load += (end[2 * g + 1]! - Math.max(startS, lastStart)) / pools[o.inst]!.slots;
      }
    });
    const B = lastStart + load / decodeInstances.length;
    return maxLike!.floorIfSomeEndsAfter(B, candidate, scenario.workload.workflows, scenario.standaloneS);
  };
  // Max-type objectives, a target: to beat `best`, workflow w must end before
  // D_w = a_w + best·s_w (makespan: best). EDF energy check on the decode pools: for every
  // τ = D_w, the decodes still to run of workflows due by τ (fastest slot-normalized time
  // each) must fit what the instances have left in [lastStart, τ) after the decodes already
  // running there, each instance's room divided by its speed ratio ρ_d.
  const order = scenario.workload.workflows.map((_, w) => w);
  // Speed ratio ρ_d ≥ 1 of each decode instance: the least, over calls it can run, of its
  // slot-normalized decode time over the call's fastest one (w_i). A call on d then uses
  // ≥ ρ_d · w_i of d's window, so d absorbs at most (window − what is running) / ρ_d of work.
  const rho = new Map<number, number>();
  for (const c of calls) {
    let m = Number.POSITIVE_INFINITY;
    for (const o of c.decode) m = Math.min(m, o.durationS / pools[o.inst]!.slots);
    for (const o of c.decode) {
      const r = o.durationS / pools[o.inst]!.slots / m;
      rho.set(o.inst, Math.min(rho.get(o.inst) ?? Number.POSITIVE_INFINITY, r));
    }
  }
  const busyOn = new Map<number, number>();
  const dueWork = new Float64Array(workflows);
  const cannotBeat = (option: Int32Array, end: Float64Array, lastStart: number, best: number): boolean => {
    if (!maxLike || !Number.isFinite(best)) return false;
    const due = (w: number) =>
      maxLike.dueS(scenario.workload.workflows[w]!.arrival_s, scenario.standaloneS[w]!, best);
    dueWork.fill(0);
    const running: Array<[number, number, number]> = [];
    calls.forEach((c, g) => {
      const k = option[2 * g + 1]!;
      if (k === -1) {
        let m = Number.POSITIVE_INFINITY;
        for (const o of c.decode) m = Math.min(m, o.durationS / pools[o.inst]!.slots);
        dueWork[c.workflow]! += m;
      } else if (end[2 * g + 1]! > lastStart) {
        const o = c.decode[k]!;
        running.push([Math.max(end[2 * g + 1]! - o.durationS, lastStart), end[2 * g + 1]!, o.inst]);
      }
    });
    order.sort((x, y) => due(x) - due(y) || x - y);
    let work = 0;
    for (const w of order) {
      work += dueWork[w]!;
      const tau = due(w);
      busyOn.clear();
      for (const [s0, e, inst] of running) {
        const b = Math.max(0, Math.min(e, tau) - s0) / pools[inst]!.slots;
        busyOn.set(inst, (busyOn.get(inst) ?? 0) + b);
      }
      let room = 0;
      for (const [inst, r] of rho) room += Math.max(0, tau - lastStart - (busyOn.get(inst) ?? 0)) / r;
      if (work > room + 1e-9 * Math.max(1, Math.abs(room))) return true;
    }
    return false;
  };
  return {
    cannotBeat,
    complete(end: Float64Array): number {
      finish.fill(0);
      calls.forEach((c, g) => {
        finish[c.workflow] = Math.max(finish[c.workflow]!, end[2 * g + 1]!);
      });
      return score(finish);
    },
    /**
     * Stages not placed start ≥ lastStart (see the proof above), and must fit around the
     * stages already placed (later ones only add load; the earliest fit is monotone in its
     * earliest start), each with its best instance pair.
     */
    lowerBound(option: Int32Array, end: Float64Array, lastStart: number): number {
      finish.fill(0);
      for (const g of topo) {
        const c = calls[g]!;
        let f = Number.POSITIVE_INFINITY;
        if (option[2 * g + 1] !== -1) f = end[2 * g + 1]!;
        else if (option[2 * g] !== -1) {
          const pi = option[2 * g]!;
          c.decode.forEach((o, k) => {
            const est = Math.max(end[2 * g]! + c.transferS[pi]![k]!, lastStart);
            f = Math.min(f, pools[o.inst]!.earliestFit(est, o.durationS, c.kvTokens) + o.durationS);
          });
        } else {
          let ready = c.deps.length === 0 ? c.arrivalS : Number.NEGATIVE_INFINITY;
          for (const d of c.deps) ready = Math.max(ready, callFinish[d]!);
          ready = Math.max(ready + c.toolS, lastStart);
          c.prefill.forEach((p, pi) => {
            const prefillEnd = lanes[p.inst]!.earliestFit(ready, p.durationS) + p.durationS;
            c.decode.forEach((o, k) => {
              const est = prefillEnd + c.transferS[pi]![k]!;
              f = Math.min(f, pools[o.inst]!.earliestFit(est, o.durationS, c.kvTokens) + o.durationS);
            });
          });
        }
        callFinish[g] = f;
        if (f > finish[c.workflow]!) finish[c.workflow] = f;
      }
      const base = score(finish);
      if (!maxLike) return base;
      return Math.max(base, decodeLoadBound(option, end, lastStart));
    },
  };
}
