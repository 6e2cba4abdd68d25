import type { Workload } from '../schema/workload.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';
import type { CallTable } from './types.ts';

/**
 * s⁺_w: an upper bound on the standalone time of workflow w on ANY cluster whose instance pairs
 * are among `pairIn`. The simulator's s_w is the longest DAG path with each call at its
 * fastest pair of the cluster (src/workload/standalone.ts); here each call is at its SLOWEST
 * allowed pair, with the cross-node transfer (the probe's node "b"), which no pair of such a
 * cluster exceeds. Infinity when some call fits no allowed pair (no such cluster can run w).
 */
export function slowestStandaloneS(
  workload: Workload,
  table: CallTable,
  pairIn: readonly boolean[],
): Float64Array {
  const { types, pairs, probe } = table;
  const near = types.map((t) => table.probeInstance(t.index, 'a'));
  const far = types.map((t) => table.probeInstance(t.index, 'b'));
  const out = new Float64Array(workload.workflows.length);
  workload.workflows.forEach((wf, w) => {
    const callS = wf.calls.map((c) => {
      const kv = probe.kvTokens(c.input_tokens, c.output_tokens);
      let worst = Number.NEGATIVE_INFINITY;
      pairs.forEach((pr, j) => {
        if (!pairIn[j] || types[pr.p]!.model !== wf.model) return;
        const d = near[pr.d]!;
        if (d.kvCapacityTokens < kv) return;
        const t =
          probe.prefillS(near[pr.p]!, c.input_tokens) +
          probe.transferS(near[pr.p]!, far[pr.d]!, c.input_tokens) +
          probe.decodeAloneS(d, c.input_tokens, c.output_tokens);
        worst = Math.max(worst, t);
      });
      return worst === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : c.tool_s + worst;
    });
    const dag = indexDag(wf);
    const order = topologicalOrder(dag)!;
    const finish = new Float64Array(wf.calls.length);
    let longest = 0;
    for (const i of order) {
      let ready = 0;
      for (const d of dag.deps[i]!) ready = Math.max(ready, finish[d]!);
      finish[i] = ready + callS[i]!;
      longest = Math.max(longest, finish[i]!);
    }
    out[w] = longest;
  });
  return out;
}
