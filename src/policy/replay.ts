import { HexplanError } from '../errors.ts';
import { numericOptions } from './options.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * Replay of an offline plan: each call on the plan's instances, each instance's queues ordered
 * by the plan's start times, and each stage started as early as exact-mode constraints allow
 * but never before its planned time. A feasible plan therefore replays to its own timestamps;
 * an infeasible one is pushed later where it collides, never reordered.
 */
export const replay: Policy = {
  name: 'replay',
  needsPlan: true,
  description: "follows an offline plan's assignments, order and start times (--plan)",
  create(view, context): Scheduler {
    numericOptions('replay', context.options, {});
    const plan = context.plan;
    if (!plan) throw new HexplanError('--policy replay needs a plan (--plan PLAN)');
    return {
      place(calls) {
        for (const c of calls) {
          view.assign(c, plan.prefill[c]!, plan.decode[c]!, plan.prefillStartS[c]!, {
            decodePriority: plan.decodeStartS[c]!,
            prefillNotBeforeS: plan.prefillStartS[c]!,
            decodeNotBeforeS: plan.decodeStartS[c]!,
          });
        }
      },
    };
  },
};
