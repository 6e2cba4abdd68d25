import type { Scenario } from '../../scenario/scenario.ts';

/** One call flattened for the oracle: its options and their durations, derived once. */
export interface OracleCall {
  workflow: number;
  id: string;
  deps: number[];
  toolS: number;
  arrivalS: number;
  kvTokens: number;
  /** Prefill options: instance index and duration. */
  prefill: Array<{ inst: number; durationS: number }>;
  /** Decode options (KV fits the instance alone): instance index and duration. */
  decode: Array<{ inst: number; durationS: number }>;
  /** transferS[pi][di] for option indices. */
  transferS: number[][];
  /** min over (p, d) of prefill + transfer + decode: the call's exact-mode floor. */
  minTotalS: number;
  /** min over d of transfer + decode, for each prefill option. */
  minTailS: number[];
}

export interface OracleProblem {
  calls: OracleCall[];
  /** Global call indices in an order where dependencies come first. */
  topo: number[];
  workflows: number;
}

/** Flattens a scenario, reading durations from the shared cost model only (no ILP, no Model). */
export function oracleProblem(scenario: Scenario): OracleProblem {
  const { cost, workload } = scenario;
  const calls: OracleCall[] = [];
  const topo: number[] = [];
  workload.workflows.forEach((wf, w) => {
    const base = calls.length;
    const local = new Map(wf.calls.map((c, i) => [c.id, base + i]));
    const pre = cost.prefillInstancesFor(wf.model);
    for (const c of wf.calls) {
      const kv = cost.kvTokens(c.input_tokens, c.output_tokens);
      const dec = cost.decodeInstancesFor(wf.model).filter((d) => d.kvCapacityTokens >= kv);
      const prefill = pre.map((p) => ({ inst: p.index, durationS: cost.prefillS(p, c.input_tokens) }));
      const decode = dec.map((d) => ({
        inst: d.index,
        durationS: cost.decodeS(d, c.input_tokens, c.output_tokens),
      }));
      const transferS = pre.map((p) => dec.map((d) => cost.transferS(p, d, c.input_tokens)));
      const minTailS = prefill.map((_, pi) =>
        Math.min(...decode.map((d, di) => transferS[pi]![di]! + d.durationS)),
      );
      const minTotalS = Math.min(...prefill.map((p, pi) => p.durationS + minTailS[pi]!));
      calls.push({
        workflow: w,
        id: c.id,
        deps: c.deps.map((d) => local.get(d)!),
        toolS: c.tool_s,
        arrivalS: wf.arrival_s,
        kvTokens: kv,
        prefill,
        decode,
        transferS,
        minTotalS,
        minTailS,
      });
    }
    // Kahn within the workflow; the workload was checked acyclic when loaded.
    const pending = wf.calls.map((c) => new Set(c.deps).size);
    const queue = wf.calls.map((_, i) => i).filter((i) => pending[i] === 0);
    for (let h = 0; h < queue.length; h++) {
      const i = queue[h]!;
      topo.push(base + i);
      wf.calls.forEach((c, j) => {
        if (c.deps.includes(wf.calls[i]!.id) && --pending[j]! === 0) queue.push(j);
      });
    }
  });
  return { calls, topo, workflows: workload.workflows.length };
}
