import { HORIZON_OPTION_DOCS, horizonFromOptions } from './horizon.ts';
import { shortestDecodeQueue, shortestPrefillQueue } from './loadChoice.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * Hetero-oblivious: HexAGenT's horizon-risk queue priority, but placement that treats every
 * GPU as equal (shortest queue by count, no speed, no transfer cost) — the ablation showing
 * what heterogeneity-aware joint placement adds.
 */
export const heteroOblivious: Policy = {
  name: 'hetero-oblivious',
  description: 'horizon-risk priority, placement that treats all GPUs as equal (shortest queue)',
  optionDocs: HORIZON_OPTION_DOCS,
  create(view, context): Scheduler {
    const horizon = horizonFromOptions('hetero-oblivious', view, context.options);
    return {
      place(calls) {
        for (const c of calls) horizon.reveal(c);
        for (const c of calls) {
          const model = view.modelOf(view.workflowOf(c));
          const kv = view.cost.kvTokens(view.inputTokens(c), view.outputTokens(c));
          const p = shortestPrefillQueue(view, model);
          const d = shortestDecodeQueue(view, model, kv);
          view.assign(c, p, d, horizon.latestStartS(c));
        }
      },
      workflowDone(w) {
        horizon.workflowDone(w);
      },
    };
  },
};
