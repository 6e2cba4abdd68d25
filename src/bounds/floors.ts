import type { Scenario } from '../scenario/scenario.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';

/**
 * Per-call floors of exact-mode schedules, computed once in O(calls · prefill · decode pairs):
 * what every schedule must spend on each call whatever instances it picks. Works are in
 * "capacity units" of a resource pool (see capacity.ts) so that Σ work ≤ capacity · time.
 */
export interface CallFloors {
  calls: number;
  /** Workflow index of each global call (workload order). */
  workflowOf: Int32Array;
  /** Model index (into `models`) of each call. */
  modelOf: Int32Array;
  models: string[];
  /** min over (p, d) of prefill + transfer + decode (exact mode): the call's fastest path. */
  minTotalS: Float64Array;
  /** min over (p, d) of transfer + decode: time from a prefill's end to the call's end. */
  minAfterPrefillS: Float64Array;
  /** min over (p, d) of prefill + transfer: time from the call's ready to its decode's start. */
  minBeforeDecodeS: Float64Array;
  /** Earliest possible prefill start: ready time along the fastest critical path. */
  releaseS: Float64Array;
  /** Longest chain of its descendants (tool + fastest path each) after the call ends. */
  descendantsS: Float64Array;
  /** Exact-mode critical path of each workflow (tool delays + fastest paths), seconds. */
  workflowPathS: Float64Array;
  /** Resource works per call: see `RESOURCES` in capacity.ts. */
  work: Record<ResourceName, Float64Array>;
  /** Capacity per model per resource (same units per second). */
  capacity: Record<ResourceName, Float64Array>;
}

export const RESOURCE_NAMES = [
  'prefill-capacity',
  'decode-slot-capacity',
  'decode-slot-seconds',
  'kv-capacity',
  'kv-token-seconds',
] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];

export function callFloors(scenario: Scenario): CallFloors {
  const { workload, cost } = scenario;
  const n = workload.workflows.reduce((s, wf) => s + wf.calls.length, 0);
  const models = [...new Set(workload.workflows.map((wf) => wf.model))].sort();
  const modelIndex = new Map(models.map((m, i) => [m, i]));
  const mk = () => new Float64Array(n);
  const f = {
    workflowOf: new Int32Array(n),
    modelOf: new Int32Array(n),
    minTotalS: mk(),
    minAfterPrefillS: mk(),
    minBeforeDecodeS: mk(),
    releaseS: mk(),
    descendantsS: mk(),
  };
  const work = Object.fromEntries(RESOURCE_NAMES.map((r) => [r, mk()])) as Record<ResourceName, Float64Array>;
  const capacity = Object.fromEntries(
    RESOURCE_NAMES.map((r) => [r, new Float64Array(models.length)]),
  ) as Record<ResourceName, Float64Array>;
  // Speed ratios ρ ≥ 1 per instance: the least, over the calls it can run, of its cost over
  // the call's cheapest cost. An instance then does at most L / ρ units of "cheapest work" in
  // any window of length L, so a pool's capacity is Σ 1/ρ ≤ its instance count (capacity.ts).
  const nInst = cost.instances.length;
  const ratioPre = new Float64Array(nInst).fill(Number.POSITIVE_INFINITY);
  const ratioSlot = new Float64Array(nInst).fill(Number.POSITIVE_INFINITY);
  const ratioKv = new Float64Array(nInst).fill(Number.POSITIVE_INFINITY);
  const workflowPathS = new Float64Array(workload.workflows.length);
  let g0 = 0;
  workload.workflows.forEach((wf, w) => {
    const mi = modelIndex.get(wf.model)!;
    const P = cost.prefillInstancesFor(wf.model);
    const D = cost.decodeInstancesFor(wf.model);
    const pre = new Float64Array(P.length);
    wf.calls.forEach((c, i) => {
      const g = g0 + i;
      f.workflowOf[g] = w;
      f.modelOf[g] = mi;
      const kv = cost.kvTokens(c.input_tokens, c.output_tokens);
      let minPre = Number.POSITIVE_INFINITY;
      P.forEach((p, k) => {
        pre[k] = cost.prefillS(p, c.input_tokens);
        if (pre[k]! < minPre) minPre = pre[k]!;
      });
      let total = Number.POSITIVE_INFINITY;
      let after = Number.POSITIVE_INFINITY;
      let before = Number.POSITIVE_INFINITY;
      let slotNorm = Number.POSITIVE_INFINITY;
      let slotAbs = Number.POSITIVE_INFINITY;
      let kvNorm = Number.POSITIVE_INFINITY;
      let kvAbs = Number.POSITIVE_INFINITY;
      for (const d of D) {
        if (d.kvCapacityTokens < kv) continue;
        const dec = cost.decodeS(d, c.input_tokens, c.output_tokens);
        slotNorm = Math.min(slotNorm, dec / d.decodeSlots);
        slotAbs = Math.min(slotAbs, dec);
        kvNorm = Math.min(kvNorm, (kv * dec) / d.kvCapacityTokens);
        kvAbs = Math.min(kvAbs, kv * dec);
        P.forEach((p, k) => {
          const x = cost.transferS(p, d, c.input_tokens);
          if (pre[k]! + x + dec < total) total = pre[k]! + x + dec;
          if (x + dec < after) after = x + dec;
          if (pre[k]! + x < before) before = pre[k]! + x;
        });
      }
      P.forEach((p, k) => {
        ratioPre[p.index] = Math.min(ratioPre[p.index]!, pre[k]! / minPre);
      });
      for (const d of D) {
        if (d.kvCapacityTokens < kv) continue;
        const dec = cost.decodeS(d, c.input_tokens, c.output_tokens);
        ratioSlot[d.index] = Math.min(ratioSlot[d.index]!, dec / d.decodeSlots / slotNorm);
        ratioKv[d.index] = Math.min(ratioKv[d.index]!, (kv * dec) / d.kvCapacityTokens / kvNorm);
      }
      f.minTotalS[g] = total;
      f.minAfterPrefillS[g] = after;
      f.minBeforeDecodeS[g] = before;
      work['prefill-capacity'][g] = minPre;
      work['decode-slot-capacity'][g] = slotNorm;
      work['decode-slot-seconds'][g] = slotAbs;
      work['kv-capacity'][g] = kvNorm;
      work['kv-token-seconds'][g] = kvAbs;
    });
    // Forward pass: releases and the critical path; backward pass: descendants' chains.
    const dag = indexDag(wf);
    const order = topologicalOrder(dag)!;
    let path = 0;
    for (const i of order) {
      const c = wf.calls[i]!;
      let ready = dag.deps[i]!.length === 0 ? wf.arrival_s : Number.NEGATIVE_INFINITY;
      for (const d of dag.deps[i]!) ready = Math.max(ready, f.releaseS[g0 + d]! + f.minTotalS[g0 + d]!);
      f.releaseS[g0 + i] = ready + c.tool_s;
      path = Math.max(path, f.releaseS[g0 + i]! + f.minTotalS[g0 + i]! - wf.arrival_s);
    }
    workflowPathS[w] = path;
    for (let k = order.length - 1; k >= 0; k--) {
      const i = order[k]!;
      let tail = 0;
      for (const ch of dag.children[i]!) {
        const c = wf.calls[ch]!;
        tail = Math.max(tail, c.tool_s + f.minTotalS[g0 + ch]! + f.descendantsS[g0 + ch]!);
      }
      f.descendantsS[g0 + i] = tail;
    }
    g0 += wf.calls.length;
  });
  const speed = (ratio: Float64Array, i: number) => (Number.isFinite(ratio[i]!) ? 1 / ratio[i]! : 0);
  models.forEach((m, mi) => {
    const P = cost.prefillInstancesFor(m);
    const D = cost.decodeInstancesFor(m);
    capacity['prefill-capacity'][mi] = P.reduce((s, p) => s + speed(ratioPre, p.index), 0);
    // Two normalizations of one pool, each valid (capacity.ts): per instance, and pooled.
    capacity['decode-slot-capacity'][mi] = D.reduce((s, d) => s + speed(ratioSlot, d.index), 0);
    capacity['decode-slot-seconds'][mi] = D.reduce((s, d) => s + d.decodeSlots, 0);
    capacity['kv-capacity'][mi] = D.reduce((s, d) => s + speed(ratioKv, d.index), 0);
    capacity['kv-token-seconds'][mi] = D.reduce((s, d) => s + d.kvCapacityTokens, 0);
  });
  return { calls: n, models, ...f, workflowPathS, work, capacity };
}
