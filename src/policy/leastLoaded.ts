import { shortestDecodeQueue, shortestPrefillQueue } from './loadChoice.ts';
import { numericOptions } from './options.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * Least-loaded (join the shortest queue): ready-time order, prefill on the instance with the
 * fewest queued calls, decode on the one with the fewest decodes per slot that has KV room.
 */
export const leastLoaded: Policy = {
  name: 'least-loaded',
  description: 'first come first served, shortest-queue prefill and decode placement',
  create(view, context): Scheduler {
    numericOptions('least-loaded', context.options, {});
    return {
      place(calls) {
        for (const c of calls) {
          const model = view.modelOf(view.workflowOf(c));
          const kv = view.cost.kvTokens(view.inputTokens(c), view.outputTokens(c));
          view.assign(c, shortestPrefillQueue(view, model), shortestDecodeQueue(view, model, kv), view.nowS);
        }
      },
    };
  },
};
