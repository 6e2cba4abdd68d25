import { HORIZON_OPTION_DOCS, horizonFromOptions } from './horizon.ts';
import { PairSearch } from './pairSearch.ts';
import type { Policy, Scheduler } from './policy.ts';

/**
 * HexAGenT (arXiv 2605.16637), reconstructed from its abstract; every choice the abstract
 * leaves open is stated here and in docs/simulator.md:
 *
 * 1. Horizon: H_w = arrival_w + k_target · ŝ_w with ŝ_w the running standalone estimate of
 *    HorizonEstimator (known critical path + family-learned estimate of the unrevealed rest),
 *    re-estimated whenever a call of w is revealed or a workflow of its family finishes.
 * 2. Risk of call c at time t = projected completion − H_w = t − latestStart_c, with
 *    latestStart_c = H_w − (ŝ_w − L(c)) − e_c (HorizonEstimator.latestStartS).
 * 3. Order of decisions: calls revealed at the same instant are placed highest risk first, so
 *    the most endangered call gets the best pair before others load it.
 * 4. Placement: PairSearch's (p, d) minimizing projected finish (queue waits + prefill +
 *    transfer + decode), restricted to decode instances with KV room for everything already
 *    committed to them (all of them if none has room); ties to the earliest KV arrival at d.
 * 5. Local queue priority, chosen with the pair: with B_c = H_w − (ŝ_w − L(c)) the time c
 *    must be done by, the prefill key is B_c − (prefill_p + transfer + decode_d) and the
 *    decode key B_c − decode_d — the latest start of each stage on the pair actually chosen
 *    (lowest first = highest risk first). Fixed when the call is placed: the engines do not
 *    re-key queued calls when ŝ_w later changes.
 *
 * Tunables (policyOptions / --policy-option): k_target (default 2), prior_levels (default 1).
 */
export const hexagent: Policy = {
  name: 'hexagent',
  description: 'HexAGenT: horizon-risk priority with joint prefill/decode placement under KV capacity',
  optionDocs: HORIZON_OPTION_DOCS,
  create(view, context): Scheduler {
    const horizon = horizonFromOptions('hexagent', view, context.options);
    const pairs = new PairSearch(view, context.mode === 'realistic');
    let keys = new Float64Array(64);
    let order = new Int32Array(64);
    return {
      place(calls) {
        const n = calls.length;
        if (n > keys.length) {
          keys = new Float64Array(n * 2);
          order = new Int32Array(n * 2);
        }
        for (let k = 0; k < n; k++) {
          horizon.reveal(calls[k]!);
          order[k] = k;
        }
        for (let k = 0; k < n; k++) keys[k] = horizon.latestStartS(calls[k]!);
        // Insertion sort by (key, position): batches are a handful of calls.
        for (let k = 1; k < n; k++) {
          const x = order[k]!;
          let j = k - 1;
          while (j >= 0 && (keys[order[j]!]! > keys[x]! || (keys[order[j]!] === keys[x] && order[j]! > x))) {
            order[j + 1] = order[j]!;
            j--;
          }
          order[j + 1] = x;
        }
        for (let k = 0; k < n; k++) {
          const c = calls[order[k]!]!;
          const w = view.workflowOf(c);
          pairs.search(view.modelOf(w), view.inputTokens(c), view.outputTokens(c));
          const by = horizon.finishByS(c);
          view.assign(c, pairs.p, pairs.d, by - pairs.prefillS - pairs.transferS - pairs.decodeS, {
            decodePriority: by - pairs.decodeS,
          });
        }
      },
      workflowDone(w) {
        horizon.workflowDone(w);
      },
    };
  },
};
