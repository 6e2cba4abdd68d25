import { numericOptions } from './options.ts';
import { PairSearch } from './pairSearch.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * The fair FCFS: queues in ready-time order (first come, first served at every instance, as
 * vLLM and SGLang schedule by default), but placed on the (prefill, decode) pair with the
 * earliest projected finish — the speed-, transfer- and KV-aware PairSearch HexAGenT uses,
 * without HexAGenT's delay cost and realistic-mode prefill projection. It isolates what
 * HexAGenT's priority, and those two, add over arrival order.
 */
export const fcfsSpeed: Policy = {
  name: 'fcfs-speed',
  description: 'first come first served, placement by projected finish on speed-aware pairs',
  create(view, context): Scheduler {
    numericOptions('fcfs-speed', context.options, {});
    const pairs = new PairSearch(view, { batchAware: context.mode === 'realistic' });
    return {
      place(calls) {
        for (const c of calls) {
          pairs.search(view.modelOf(view.workflowOf(c)), view.inputTokens(c), view.outputTokens(c));
          view.assign(c, pairs.p, pairs.d, view.nowS);
        }
      },
    };
  },
};
