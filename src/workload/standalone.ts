import { HexplanError } from '../errors.ts';
import type { CostModel } from '../profile/costModel.ts';
import type { Workflow, Workload } from '../schema/workload.ts';
import { criticalPath, indexDag, topologicalOrder } from './dag.ts';

/**
 * docs/concepts.md's standalone time s_w: the longest path through the DAG where each call costs
 * tool_s + the best (prefill, transfer, decode-alone) over the cluster's instance pairs.
 * A lower bound on the workflow's latency in any schedule.
 */
export function standaloneS(workflow: Workflow, cost: CostModel): number {
  const dag = indexDag(workflow);
  const order = topologicalOrder(dag);
  if (!order) throw new HexplanError(`workflow "${workflow.id}": dependency cycle`);
  const calls = workflow.calls;
  return criticalPath(dag, order, (i) => {
    const c = calls[i]!;
    return c.tool_s + cost.standaloneCallS(workflow.model, c.input_tokens, c.output_tokens);
  }).length;
}

export function standaloneTimesS(workload: Workload, cost: CostModel): Float64Array {
  return Float64Array.from(workload.workflows, (wf) => standaloneS(wf, cost));
}

/**
 * Whether the workload can run on the cluster at all: every workflow's model has prefill and
 * decode instances, and every call's KV (input + output tokens) fits some decode instance.
 * Checked before simulating or solving, so an impossible request is an error, not a hang.
 */
export function checkWorkloadOnCluster(
  workload: Workload,
  cost: CostModel,
  workloadFile = 'workload',
): string[] {
  const problems: string[] = [];
  const maxKv = new Map<string, number>();
  workload.workflows.forEach((wf, w) => {
    if (!maxKv.has(wf.model)) {
      if (cost.prefillInstancesFor(wf.model).length === 0 || cost.decodeInstancesFor(wf.model).length === 0) {
        problems.push(
          `${workloadFile}: workflows[${w}].model: no prefill and decode instances serve model "${wf.model}" in the cluster`,
        );
        maxKv.set(wf.model, -1);
        return;
      }
      maxKv.set(wf.model, cost.maxKvTokensFor(wf.model));
    }
    const cap = maxKv.get(wf.model)!;
    if (cap < 0) return;
    wf.calls.forEach((c, i) => {
      const need = cost.kvTokens(c.input_tokens, c.output_tokens);
      if (need > cap) {
        problems.push(
          `${workloadFile}: workflows[${w}].calls[${i}]: call "${wf.id}/${c.id}" needs ${need} KV tokens ` +
            `(input + output) but the largest decode instance for ${wf.model} holds ${cap}`,
        );
      }
    });
  });
  return problems.slice(0, 50);
}
