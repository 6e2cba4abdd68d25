import { numericOptions } from './options.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * First come, first served: queues ordered by ready time, and placement by round-robin over
 * the model's prefill instances and (independently) its decode instances, skipping a decode
 * instance whose KV capacity cannot hold the call at all. Knows nothing of load or speed: a
 * strawman (see `fcfs-speed` for the fair FCFS), kept and labelled so averages leave it out.
 */
export const fcfs: Policy = {
  name: 'fcfs',
  description: 'first come first served, round-robin prefill and decode placement (strawman)',
  strawman: true,
  create(view, context): Scheduler {
    numericOptions('fcfs', context.options, {});
    const nextPrefill = new Int32Array(view.modelCount);
    const nextDecode = new Int32Array(nextPrefill.length);
    return {
      place(calls) {
        const now = view.nowS;
        for (const c of calls) {
          const model = view.modelOf(view.workflowOf(c));
          const ps = view.prefillInstances(model);
          const ds = view.decodeInstances(model);
          const p = ps[nextPrefill[model]! % ps.length]!;
          nextPrefill[model] = (nextPrefill[model]! + 1) % ps.length;
          const need = view.cost.kvTokens(view.inputTokens(c), view.outputTokens(c));
          let k = nextDecode[model]!;
          for (let tries = 0; tries < ds.length && ds[k % ds.length]!.kvCapacityTokens < need; tries++) k++;
          const d = ds[k % ds.length]!;
          nextDecode[model] = (k + 1) % ds.length;
          view.assign(c, p.index, d.index, now);
        }
      },
    };
  },
};
