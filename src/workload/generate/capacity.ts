import { HexplanError } from '../../errors.ts';
import type { CostModel } from '../../profile/costModel.ts';
import type { Workflow } from '../../schema/workload.ts';

/**
 * Offered load of a workload shape on a cluster, in the exact-mode cost model (fluid view):
 *
 *   c̄ = mean calls per workflow (over the given workflows, all of model M).
 *   Prefill: instance p serves calls at 1 / m_p calls/s, m_p = mean prefillS_p(input) over the
 *     calls; capacity_pre = Σ_p 1 / m_p (each prefill instance fed a random share of the calls).
 *   Decode: instance d is limited by its slots, S_d / n_d calls/s with n_d = mean decodeS_d,
 *     and by its KV, K_d / k_d calls/s with k_d = mean (input + output) · decodeS_d
 *     (KV-token-seconds); capacity_dec = Σ_d min(S_d / n_d, K_d / k_d).
 *   utilization(λ) = λ · c̄ · max(1 / capacity_pre, 1 / capacity_dec)  (λ in workflows/s),
 *   so the rate for a target load L is λ = L / (c̄ · max(1 / capacity_pre, 1 / capacity_dec)).
 *
 * Transfers are not a capacity limit in exact mode (links are not exclusive), and tool delays
 * add latency, not load. Optimal size-aware routing could beat the random-share assumption a
 * little, so this capacity is an estimate, not a bound.
 */
export interface CapacityEstimate {
  model: string;
  callsPerWorkflow: number;
  prefillCallsPerS: number;
  decodeCallsPerS: number;
  bottleneck: 'prefill' | 'decode';
  /** Utilization of the bottleneck per unit arrival rate (workflows/s). */
  utilizationPerRate: number;
}

export function estimateCapacity(workflows: readonly Workflow[], cost: CostModel): CapacityEstimate {
  const first = workflows[0];
  if (!first) throw new HexplanError('estimating capacity needs at least one workflow');
  const model = first.model;
  const calls = workflows.flatMap((wf) => {
    if (wf.model !== model) throw new Error('estimateCapacity: workflows must share one model');
    return wf.calls;
  });
  const prefill = cost.prefillInstancesFor(model);
  const decode = cost.decodeInstancesFor(model);
  if (prefill.length === 0 || decode.length === 0) {
    throw new HexplanError(`the cluster has no prefill and decode instances for model "${model}"`);
  }
  let prefillCallsPerS = 0;
  for (const p of prefill) {
    let sum = 0;
    for (const c of calls) sum += cost.prefillS(p, c.input_tokens);
    prefillCallsPerS += calls.length / sum;
  }
  let decodeCallsPerS = 0;
  for (const d of decode) {
    let busy = 0;
    let kvSeconds = 0;
    for (const c of calls) {
      const t = cost.decodeS(d, c.input_tokens, c.output_tokens);
      busy += t;
      kvSeconds += cost.kvTokens(c.input_tokens, c.output_tokens) * t;
    }
    decodeCallsPerS += Math.min(
      (d.decodeSlots * calls.length) / busy,
      (d.kvCapacityTokens * calls.length) / kvSeconds,
    );
  }
  const callsPerWorkflow = calls.length / workflows.length;
  const inv = Math.max(1 / prefillCallsPerS, 1 / decodeCallsPerS);
  return {
    model,
    callsPerWorkflow,
    prefillCallsPerS,
    decodeCallsPerS,
    bottleneck: prefillCallsPerS <= decodeCallsPerS ? 'prefill' : 'decode',
    utilizationPerRate: callsPerWorkflow * inv,
  };
}

/** Arrival rate (workflows/s) that puts the bottleneck at `load` (a fraction of its capacity). */
export function rateForLoad(capacity: CapacityEstimate, load: number): number {
  if (!(load > 0)) throw new HexplanError(`--load: must be > 0, got ${load}`);
  return load / capacity.utilizationPerRate;
}
