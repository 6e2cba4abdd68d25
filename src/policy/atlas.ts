import { holding } from '../util/typedArrays.ts';
import { numericOptions } from './options.ts';
import { PairSearch } from './pairSearch.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * ATLAS, Autellix's scheduler for programs that are DAGs of calls (Luo et al., "Autellix: An
 * Efficient Serving Engine for LLM Agents as General Programs", arXiv 2502.13965, §4): a
 * call's priority is the service attained along the critical path leading to it,
 *   a(c) = max over deps d of (a(d) + service(d)),  a(root) = 0,
 * lowest first, so the programs that have consumed least along their longest chain go first,
 * without knowing their future. Reproduced as a continuous key: Autellix discretises a(c)
 * into multi-level queues with an anti-starvation bump, which only coarsens this order.
 * Placement: projected finish on speed-aware pairs (PairSearch), so that the comparison with
 * HexAGenT is about the priority, not about one of them ignoring GPU speed.
 */
export const atlas: Policy = {
  name: 'atlas',
  description: 'least attained service along the critical path first (Autellix ATLAS), speed-aware placement',
  create(view, context): Scheduler {
    numericOptions('atlas', context.options, {});
    const pairs = new PairSearch(view, { batchAware: context.mode === 'realistic' });
    let attainedS = new Float64Array(1024);
    return {
      place(calls) {
        for (const c of calls) {
          attainedS = holding(attainedS, c);
          let a = 0;
          for (let k = 0; k < view.depCount(c); k++) {
            const dep = view.dep(c, k);
            a = Math.max(a, attainedS[dep]! + view.serviceS(dep));
          }
          attainedS[c] = a;
          pairs.search(view.modelOf(view.workflowOf(c)), view.inputTokens(c), view.outputTokens(c));
          view.assign(c, pairs.p, pairs.d, a);
        }
      },
    };
  },
};
