import { decodeStepMs, prefillMs } from '../profile/formulas.ts';
import type { Workload } from '../schema/workload.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';
import type { CallTable } from './types.ts';

/**
 * Per call and instance type, what realistic mode must spend at the least, read from the
 * profile formulas the simulator runs (src/sim/realistic.ts, decodeBatch.ts):
 * - prefill lane: a batch of T = Σ Tᵢ tokens lasts f(T) = prefill_ms(T); with f − f(0) convex
 *   (superadditive) each call's share is at least f(Tᵢ) − f(0), plus f(0) split by tokens over a
 *   batch of at most max(budget, Tᵢ) tokens;
 * - decode lane: a step of B ≤ slots sequences, reserving Σ (input + output) ≤ KV capacity, lasts
 *   d0 + d1·B + d2·C, so each sequence's share of step j is at least
 *   d0·max(1/slots, (input + output)/capacity) + d1 + d2·(input + j);
 * - KV: admission reserves input + output tokens for the whole decode, which lasts at least the
 *   batch-of-one steps Σⱼ (d0 + d1 + d2·(input + j));
 * - latency: a call takes at least its tool delay + f(Tᵢ) + transfer + the batch-of-one decode.
 */
export interface CallFloor {
  /** [call][type] seconds (Infinity where the type cannot do the stage). */
  prefillShareS: Float64Array[];
  decodeShareS: Float64Array[];
  kvTokenS: Float64Array[];
  /** [call][pair]: the least latency a call can have on the pair (tool delay included). */
  leastLatencyS: Float64Array[];
  /** [call][pair]: the standalone call time on the pair as the simulator computes it (tool included). */
  standaloneS: Float64Array[];
}

export function callFloors(workload: Workload, table: CallTable, prefillTokenBudget: number): CallFloor {
  const { types, pairs, probe } = table;
  const n = table.calls.length;
  const out: CallFloor = {
    prefillShareS: new Array(n),
    decodeShareS: new Array(n),
    kvTokenS: new Array(n),
    leastLatencyS: new Array(n),
    standaloneS: new Array(n),
  };
  const inst = types.map((t) => table.probeInstance(t.index, 'a'));
  const far = types.map((t) => table.probeInstance(t.index, 'b'));
  table.calls.forEach(([w, i], k) => {
    const wf = workload.workflows[w]!;
    const c = wf.calls[i]!;
    const input = c.input_tokens;
    const output = c.output_tokens;
    const pre = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const dec = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const kv = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const alonePre = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const aloneDec = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const kvNeed = probe.kvTokens(input, output);
    for (const t of types) {
      if (t.model !== wf.model) continue;
      const profile = inst[t.index]!.profile;
      if (t.canPrefill) {
        const fixedMs = prefillMs(profile, 0);
        const share =
          prefillMs(profile, input) - fixedMs + (fixedMs * input) / Math.max(prefillTokenBudget, input);
        pre[t.index] = share / 1000;
        alonePre[t.index] = probe.prefillS(inst[t.index]!, input);
      }
      if (t.canDecode && kvNeed <= inst[t.index]!.kvCapacityTokens) {
        const d0 = decodeStepMs(profile, 0, 0);
        const d1 = decodeStepMs(profile, 1, 0) - d0;
        const d2 = decodeStepMs(profile, 0, 1) - d0;
        // The batch holds at most `slots` sequences and at most kvCapacity reserved tokens, so
        // this sequence's share of each step's fixed cost is at least the larger of the two.
        const fixedShare = Math.max(1 / inst[t.index]!.decodeSlots, kvNeed / inst[t.index]!.kvCapacityTokens);
        const ramp = (d2 * output * (output - 1)) / 2;
        dec[t.index] = (output * (d0 * fixedShare + d1 + d2 * input) + ramp) / 1000;
        aloneDec[t.index] = (output * (d0 + d1 + d2 * input) + ramp) / 1000;
        kv[t.index] = kvNeed * aloneDec[t.index]!;
      }
    }
    const least = new Float64Array(pairs.length);
    const standalone = new Float64Array(pairs.length);
    pairs.forEach((pr, j) => {
      const p = inst[pr.p]!;
      const sameInstance = pr.p === pr.d && types[pr.p]!.role === 'mixed';
      const near = sameInstance ? 0 : probe.transferS(p, inst[pr.d]!, input);
      least[j] = c.tool_s + alonePre[pr.p]! + near + aloneDec[pr.d]!;
      standalone[j] = Number.isFinite(aloneDec[pr.d]!)
        ? c.tool_s +
          alonePre[pr.p]! +
          probe.transferS(p, far[pr.d]!, input) +
          probe.decodeAloneS(inst[pr.d]!, input, output)
        : Number.POSITIVE_INFINITY;
    });
    out.prefillShareS[k] = pre;
    out.decodeShareS[k] = dec;
    out.kvTokenS[k] = kv;
    out.leastLatencyS[k] = least;
    out.standaloneS[k] = standalone;
  });
  return out;
}

/**
 * Longest paths through each workflow's DAG with per-call costs: for every call, the path
 * before it (from arrival to its ready time) and after it (from its finish to the workflow's
 * end), and the whole longest path. Calls in `CallTable` order.
 */
export function dagPaths(
  workload: Workload,
  callCost: (k: number) => number,
): { beforeS: Float64Array; afterS: Float64Array; totalS: Float64Array } {
  let n = 0;
  for (const wf of workload.workflows) n += wf.calls.length;
  const beforeS = new Float64Array(n);
  const afterS = new Float64Array(n);
  const totalS = new Float64Array(workload.workflows.length);
  let base = 0;
  workload.workflows.forEach((wf, w) => {
    const dag = indexDag(wf);
    const order = topologicalOrder(dag)!;
    let longest = 0;
    for (const i of order) {
      let b = 0;
      for (const d of dag.deps[i]!) b = Math.max(b, beforeS[base + d]! + callCost(base + d));
      beforeS[base + i] = b;
      longest = Math.max(longest, b + callCost(base + i));
    }
    for (let j = order.length - 1; j >= 0; j--) {
      const i = order[j]!;
      let a = 0;
      for (const ch of dag.children[i]!) a = Math.max(a, afterS[base + ch]! + callCost(base + ch));
      afterS[base + i] = a;
    }
    totalS[w] = longest;
    base += wf.calls.length;
  });
  return { beforeS, afterS, totalS };
}
