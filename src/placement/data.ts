import type { ResolvedInstance } from '../profile/costModel.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';

/**
 * Everything the placement models need about one call, resolved once from the cost model so
 * the continuous model, the time-indexed model, the warm start and the greedy agree.
 * Calls are numbered globally: workflows in file order, calls in file order within each.
 */
export interface CallData {
  g: number;
  /** Workflow index and call index within it. */
  w: number;
  c: number;
  id: string;
  workflowId: string;
  inputTokens: number;
  kvTokens: number;
  toolS: number;
  /** Global indices of the calls this one waits for, and of those waiting for it. */
  deps: number[];
  children: number[];
  /** Eligible instance indices: prefill lane on the workflow's model; decode where the KV fits. */
  prefill: number[];
  decode: number[];
  /** Durations indexed by instance index (NaN where not eligible). */
  prefillS: Float64Array;
  decodeS: Float64Array;
  /** Every eligible (prefill, decode) pair with its prefill + transfer lag. */
  pairs: Array<{ p: number; d: number; lagS: number }>;
  /** min over pairs of prefill + transfer, and of prefill + transfer + decode. */
  minLagS: number;
  minTotalS: number;
  minDecodeS: number;
  maxTotalS: number;
  /** Earliest prefill start (ready time with every call at its fastest); earliest decode start. */
  estPrefillS: number;
  estDecodeS: number;
  /** Shortest time from this call's decode end to its workflow's finish (later calls at their fastest). */
  tailS: number;
}

export interface PlacementData {
  scenario: Scenario;
  instances: ResolvedInstance[];
  calls: CallData[];
  /** Calls of each workflow (global indices), and those without children (the sinks). */
  workflowCalls: number[][];
  sinks: number[][];
  /** Per workflow: the least scale any exact-mode schedule can reach (fastest critical path / s_w). */
  minScale: Float64Array;
  /** ancestors[g]: global indices that must finish before call g starts (transitive). */
  ancestors: Array<Set<number>>;
}

export function placementData(scenario: Scenario): PlacementData {
  const { workload, cost } = scenario;
  const instances = cost.instances;
  const calls: CallData[] = [];
  const workflowCalls: number[][] = [];
  const sinks: number[][] = [];
  const ancestors: Array<Set<number>> = [];
  const minScale = new Float64Array(workload.workflows.length);
  workload.workflows.forEach((wf, w) => {
    const dag = indexDag(wf);
    const order = topologicalOrder(dag)!;
    const base = calls.length;
    const prefillInsts = cost.prefillInstancesFor(wf.model);
    const decodeInsts = cost.decodeInstancesFor(wf.model);
    wf.calls.forEach((call, c) => {
      const kv = cost.kvTokens(call.input_tokens, call.output_tokens);
      const prefillS = new Float64Array(instances.length).fill(Number.NaN);
      const decodeS = new Float64Array(instances.length).fill(Number.NaN);
      const prefill = prefillInsts.map((p) => p.index);
      const decode = decodeInsts.filter((d) => d.kvCapacityTokens >= kv).map((d) => d.index);
      for (const p of prefillInsts) prefillS[p.index] = cost.prefillS(p, call.input_tokens);
      for (const d of decodeInsts) {
        if (d.kvCapacityTokens >= kv)
          decodeS[d.index] = cost.decodeS(d, call.input_tokens, call.output_tokens);
      }
      const pairs: CallData['pairs'] = [];
      let minLagS = Number.POSITIVE_INFINITY;
      let minTotalS = Number.POSITIVE_INFINITY;
      let maxTotalS = 0;
      for (const p of prefill) {
        for (const d of decode) {
          const lagS = prefillS[p]! + cost.transferS(instances[p]!, instances[d]!, call.input_tokens);
          pairs.push({ p, d, lagS });
          minLagS = Math.min(minLagS, lagS);
          minTotalS = Math.min(minTotalS, lagS + decodeS[d]!);
          maxTotalS = Math.max(maxTotalS, lagS + decodeS[d]!);
        }
      }
      let minDecodeS = Number.POSITIVE_INFINITY;
      for (const d of decode) minDecodeS = Math.min(minDecodeS, decodeS[d]!);
      calls.push({
        g: base + c,
        w,
        c,
        id: call.id,
        workflowId: wf.id,
        inputTokens: call.input_tokens,
        kvTokens: kv,
        toolS: call.tool_s,
        deps: dag.deps[c]!.map((i) => base + i),
        children: dag.children[c]!.map((i) => base + i),
        prefill,
        decode,
        prefillS,
        decodeS,
        pairs,
        minLagS,
        minTotalS,
        minDecodeS,
        maxTotalS,
        estPrefillS: 0,
        estDecodeS: 0,
        tailS: 0,
      });
      ancestors.push(new Set());
    });
    // Earliest starts forward, tails backward, ancestors by propagation in topological order.
    let finishMax = 0;
    for (const c of order) {
      const d = calls[base + c]!;
      let ready = wf.arrival_s;
      for (const dep of d.deps) {
        const e = calls[dep]!;
        ready = Math.max(ready, e.estPrefillS + e.minTotalS);
        const anc = ancestors[base + c]!;
        anc.add(dep);
        for (const a of ancestors[dep]!) anc.add(a);
      }
      d.estPrefillS = ready + d.toolS;
      d.estDecodeS = d.estPrefillS + d.minLagS;
      finishMax = Math.max(finishMax, d.estPrefillS + d.minTotalS);
    }
    for (let k = order.length - 1; k >= 0; k--) {
      const d = calls[base + order[k]!]!;
      let tail = 0;
      for (const ch of d.children) {
        const e = calls[ch]!;
        tail = Math.max(tail, e.toolS + e.minTotalS + e.tailS);
      }
      d.tailS = tail;
    }
    workflowCalls.push(wf.calls.map((_, c) => base + c));
    sinks.push(wf.calls.map((_, c) => base + c).filter((g) => calls[g]!.children.length === 0));
    minScale[w] = (finishMax - wf.arrival_s) / scenario.standaloneS[w]!;
  });
  return { scenario, instances, calls, workflowCalls, sinks, minScale, ancestors };
}

/** Whether a and b are ordered by the workflow DAG (one must finish before the other starts). */
export function dagOrdered(data: PlacementData, a: number, b: number): boolean {
  return data.ancestors[a]!.has(b) || data.ancestors[b]!.has(a);
}
