import type { Policy } from './policy.ts';
import type { PolicyView, StageOptions } from './view.ts';

/** What a rewrite may change in a decision: its queue key and its stage options, not its placement. */
export interface Rewritten {
  priority: number;
  stage?: StageOptions;
}

/**
 * A policy that runs `inner` unchanged but rewrites each of its decisions on the way to the
 * engine. This is how the schedule searches steer a policy (priority tiers, batch caps)
 * without one policy knowing of another. The view is proxied rather than subclassed because
 * PolicyView keeps the workload in private fields, which only the real object can read.
 */
export function rewriteAssign(
  inner: Policy,
  description: string,
  rewrite: (call: number, priority: number, stage: StageOptions | undefined) => Rewritten,
): Policy {
  return {
    name: inner.name,
    description,
    create(view, context) {
      const assign = (c: number, p: number, d: number, prio: number, stage?: StageOptions) => {
        const out = rewrite(c, prio, stage);
        view.assign(c, p, d, out.priority, out.stage);
      };
      // Bound once per method: a policy calls the view's methods for every call it places
      // (binding on each access made a 53k-call run of tiered, capped hexagent ~15% slower).
      const bound = new Map<PropertyKey, unknown>([['assign', assign]]);
      const steered = new Proxy(view, {
        get(target, prop) {
          const cached = bound.get(prop);
          if (cached !== undefined) return cached;
          const v = Reflect.get(target, prop, target);
          if (typeof v !== 'function') return v;
          const f = v.bind(target);
          bound.set(prop, f);
          return f;
        },
      }) as PolicyView;
      return inner.create(steered, context);
    },
  };
}

/**
 * `inner` with `shiftOf(call)` added to each of its queue keys, the decode queue's too when it
 * sets one: a shift far beyond the policy's own keys reorders whole groups of calls and keeps
 * the policy's order within a group.
 */
export function shiftedPriorities(
  inner: Policy,
  description: string,
  shiftOf: (call: number) => number,
): Policy {
  return rewriteAssign(inner, description, (c, priority, stage) => {
    const shift = shiftOf(c);
    return {
      priority: priority + shift,
      ...(stage !== undefined
        ? {
            stage:
              stage.decodePriority !== undefined
                ? { ...stage, decodePriority: stage.decodePriority + shift }
                : stage,
          }
        : {}),
    };
  });
}
