import { HORIZON_OPTION_DOCS, horizonFromOptions } from './horizon.ts';
import type { Policy, Scheduler } from './policy.ts';
import type { PolicyView } from './view.ts';

/**
 * Earliest deadline (horizon) first: queues ordered by the workflow's horizon H_w (same
 * estimator as HexAGenT), with no joint placement: the prefill instance that finishes this
 * prefill first and, separately, the decode instance (with KV room) that would finish its
 * decode first if the call were there now — transfer cost and the prefill's end are ignored.
 */
export const edf: Policy = {
  name: 'edf',
  description: 'earliest horizon first, prefill and decode placed independently (speed-aware)',
  optionDocs: HORIZON_OPTION_DOCS,
  create(view, context): Scheduler {
    const horizon = horizonFromOptions('edf', view, context.options);
    return {
      place(calls) {
        for (const c of calls) horizon.reveal(c);
        for (const c of calls) {
          const w = view.workflowOf(c);
          const model = view.modelOf(w);
          const input = view.inputTokens(c);
          const output = view.outputTokens(c);
          view.assign(
            c,
            earliestPrefill(view, model, input),
            earliestDecode(view, model, input, output),
            horizon.horizonS(w),
          );
        }
      },
      workflowDone(w) {
        horizon.workflowDone(w);
      },
    };
  },
};

function earliestPrefill(view: PolicyView, model: number, input: number): number {
  let best = -1;
  let bestT = Number.POSITIVE_INFINITY;
  for (const p of view.prefillInstances(model)) {
    const t = view.state.prefillFreeAtS(p.index, view.nowS) + view.cost.prefillS(p, input);
    if (t < bestT) {
      bestT = t;
      best = p.index;
    }
  }
  return best;
}

function earliestDecode(view: PolicyView, model: number, input: number, output: number): number {
  const state = view.state;
  const now = view.nowS;
  const need = view.cost.kvTokens(input, output);
  let best = -1;
  let bestT = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 2 && best === -1; pass++) {
    for (const d of view.decodeInstances(model)) {
      const i = d.index;
      if (d.kvCapacityTokens < need) continue;
      const room = d.kvCapacityTokens - state.kvReservedTokens[i]! - state.kvCommittedTokens[i]! >= need;
      if (pass === 0 && !room) continue;
      const free = room && state.decodeRunning[i]! + state.decodeCommitted[i]! < d.decodeSlots;
      const t =
        (free ? now : now + state.decodeBacklogS(i, now) / d.decodeSlots) +
        view.cost.decodeS(d, input, output);
      if (t < bestT) {
        bestT = t;
        best = i;
      }
    }
  }
  return best;
}
