import type { Workload } from '../schema/workload.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';
import type { CallTable, InstanceType } from './types.ts';

/**
 * One cell of the cost floor's partition of clusters: those whose decode-capable instances of
 * the workload's main model include type `fastest` and no type faster than it on every call.
 * Every cluster that can run the workload lies in some cell: among its decode-capable types,
 * take one that no other of them dominates (dominance is a strict partial order, so on a
 * finite set such a type exists). The cell couples the two things a looser relaxation could
 * pick from different clusters: the deadlines (its standalone times use `fastest`) and the
 * capacity (types that dominate `fastest` are not `allowed`).
 */
export interface DecodeCell {
  /** The instance type every cluster of the cell holds (index into CallTable.types). */
  fastest: number;
  /** allowed[t]: the cell's clusters may hold type t. */
  allowed: boolean[];
}

/** The model with the most calls (ties: first by name): the one the cells partition on. */
function mainModel(workload: Workload): string {
  const calls = new Map<string, number>();
  for (const wf of workload.workflows) calls.set(wf.model, (calls.get(wf.model) ?? 0) + wf.calls.length);
  return [...calls].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0]![0];
}

/**
 * The cells over the instance types of `inSet`: one per decode-capable type of the main model.
 * Type X dominates type D when X's batch-of-one decode is at most D's for every call of the
 * main model and below it for one (a call X's KV cannot hold takes forever on X).
 */
export function decodeCells(workload: Workload, table: CallTable, inSet: readonly boolean[]): DecodeCell[] {
  const { types, probe } = table;
  const model = mainModel(workload);
  const decoders = types.filter((t) => inSet[t.index] && t.canDecode && t.model === model);
  const decodeS = decoders.map((t) => {
    const d = table.probeInstance(t.index, 'a');
    const out: number[] = [];
    for (const wf of workload.workflows) {
      if (wf.model !== model) continue;
      for (const c of wf.calls)
        out.push(
          d.kvCapacityTokens < probe.kvTokens(c.input_tokens, c.output_tokens)
            ? Number.POSITIVE_INFINITY
            : probe.decodeAloneS(d, c.input_tokens, c.output_tokens),
        );
    }
    return out;
  });
  const dominates = (x: number, d: number) => {
    let strictly = false;
    for (let i = 0; i < decodeS[x]!.length; i++) {
      if (decodeS[x]![i]! > decodeS[d]![i]!) return false;
      if (decodeS[x]![i]! < decodeS[d]![i]!) strictly = true;
    }
    return strictly;
  };
  return decoders.map((t, d) => {
    const allowed = types.map((u) => inSet[u.index] === true);
    decoders.forEach((u, x) => {
      if (dominates(x, d)) allowed[u.index] = false;
    });
    return { fastest: t.index, allowed };
  });
}

/**
 * s⁺_w: an upper bound on the standalone time of workflow w on ANY cluster whose types are
 * `allowed` (and, with `fastestDecode`, that holds that type: a cell). The simulator's s_w is the
 * longest DAG path with each call at its fastest pair of the cluster (src/workload/standalone.ts);
 * here each call costs the least of two pairs such a cluster surely beats or matches:
 * - its SLOWEST allowed pair, with the cross-node transfer (the probe's node "b");
 * - with `fastestDecode`, the pair through the cell's fastest decode type: the same instance when that
 *   type is mixed (no transfer), else the slowest allowed prefill type with a cross-node
 *   transfer.
 * Infinity when some call fits no allowed pair (no such cluster can run w).
 */
export function standaloneUpperBoundS(
  workload: Workload,
  table: CallTable,
  allowed: readonly boolean[],
  /** The cell's fastest decode type, which every cluster of the cell holds; null: no cell. */
  fastestDecode: number | null = null,
): Float64Array {
  const { types, probe } = table;
  const near = types.map((t) => table.probeInstance(t.index, 'a'));
  const far = types.map((t) => table.probeInstance(t.index, 'b'));
  const fastest: InstanceType | null = fastestDecode === null ? null : types[fastestDecode]!;
  const out = new Float64Array(workload.workflows.length);
  workload.workflows.forEach((wf, w) => {
    const prefillers = types.filter((t) => allowed[t.index] && t.canPrefill && t.model === wf.model);
    const decoders = types.filter((t) => allowed[t.index] && t.canDecode && t.model === wf.model);
    const callS = wf.calls.map((c) => {
      const kv = probe.kvTokens(c.input_tokens, c.output_tokens);
      const through = (p: InstanceType, d: InstanceType, sameInstance: boolean) =>
        probe.prefillS(near[p.index]!, c.input_tokens) +
        (sameInstance ? 0 : probe.transferS(near[p.index]!, far[d.index]!, c.input_tokens)) +
        probe.decodeAloneS(near[d.index]!, c.input_tokens, c.output_tokens);
      let worst = Number.NEGATIVE_INFINITY;
      for (const d of decoders) {
        if (near[d.index]!.kvCapacityTokens < kv) continue;
        for (const p of prefillers) worst = Math.max(worst, through(p, d, false));
      }
      let best = worst === Number.NEGATIVE_INFINITY ? Number.POSITIVE_INFINITY : worst;
      if (fastest && fastest.model === wf.model && near[fastest.index]!.kvCapacityTokens >= kv) {
        let via = Number.NEGATIVE_INFINITY;
        if (fastest.canPrefill) via = through(fastest, fastest, true);
        else for (const p of prefillers) via = Math.max(via, through(p, fastest, false));
        if (via > Number.NEGATIVE_INFINITY) best = Math.min(best, via);
      }
      return c.tool_s + best;
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
