import type { PolicyView } from './view.ts';

/**
 * Load-balancing choices that look at queue lengths only — every GPU counts the same, which is
 * what the `least-loaded`, `hetero-oblivious` and `plas` baselines assume. Ties: lowest index.
 */

/** The prefill instance with the fewest calls waiting or running. */
export function shortestPrefillQueue(view: PolicyView, model: number): number {
  const state = view.state;
  const now = view.nowS;
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  for (const p of view.prefillInstances(model)) {
    const i = p.index;
    const load = state.prefillQueued[i]! + (state.prefillBusyUntilS[i]! > now ? 1 : 0);
    if (load < bestLoad) {
      bestLoad = load;
      best = i;
    }
  }
  return best;
}

/**
 * The decode instance with the fewest running + committed decodes per slot, among those with
 * KV room for everything committed plus this call (among all that can hold it when none has).
 */
export function shortestDecodeQueue(view: PolicyView, model: number, kvTokens: number): number {
  const state = view.state;
  let best = -1;
  let bestKey = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 2 && best === -1; pass++) {
    for (const d of view.decodeInstances(model)) {
      const i = d.index;
      if (d.kvCapacityTokens < kvTokens) continue;
      if (
        pass === 0 &&
        d.kvCapacityTokens - state.kvReservedTokens[i]! - state.kvCommittedTokens[i]! < kvTokens
      )
        continue;
      const key = (state.decodeRunning[i]! + state.decodeCommitted[i]!) / d.decodeSlots;
      if (key < bestKey) {
        bestKey = key;
        best = i;
      }
    }
  }
  return best;
}
