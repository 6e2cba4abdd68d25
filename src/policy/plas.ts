import { shortestDecodeQueue, shortestPrefillQueue } from './loadChoice.ts';
import { numericOptions } from './options.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * PLAS, program-level least attained service (Autellix): a call's queue priority is the
 * service its workflow has received so far (sum of prefill + decode time of its finished
 * calls) when the call is revealed — short programs go first without knowing their length.
 * Placement: shortest queue, as Autellix balances load across engines.
 */
export const plas: Policy = {
  name: 'plas',
  description: 'least attained service per workflow first (Autellix PLAS), shortest-queue placement',
  create(view, context): Scheduler {
    numericOptions('plas', context.options, {});
    const attainedS = new Float64Array(view.workflowCount);
    return {
      place(calls) {
        for (const c of calls) {
          const w = view.workflowOf(c);
          const model = view.modelOf(w);
          const kv = view.cost.kvTokens(view.inputTokens(c), view.outputTokens(c));
          view.assign(
            c,
            shortestPrefillQueue(view, model),
            shortestDecodeQueue(view, model, kv),
            attainedS[w]!,
          );
        }
      },
      callDone(c) {
        attainedS[view.workflowOf(c)]! += view.serviceS(c);
      },
    };
  },
};
