import type { Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import { rewriteAssign } from '../policy/rewriteAssign.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { DEFAULT_PREFILL_TOKEN_BUDGET, simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';

/**
 * Upper bounds from the online policies with smaller prefill batches. The realistic engine
 * fills a prefill batch greedily up to its token budget, and every call of a batch waits for
 * the whole batch: under load a short prompt behind long ones spends several times its own
 * prefill there (on the README's 300-workflow example, hexagent's edge workflows spend 15% of
 * their standalone time in it). A schedule may form smaller batches (StageOptions
 * prefillBatchTokenCap on every call), and the lower bound holds for any batch the engine can
 * form, so each such run is an upper bound of the same system. It is kept apart from the
 * policies' own scales, which stay those of the configured budget.
 */
export interface PrefillCappedStart {
  policy: Policy;
  /** `hexagent, prefill batches ≤ 4096 tokens`. */
  label: string;
  capTokens: number;
  scale: number;
}

/** The caps tried, as fractions of the budget. */
const CAP_FRACTIONS = [1 / 2, 1 / 4, 1 / 8, 1 / 16];
/** How many of the best policies are re-run with each cap. */
const POLICIES_TRIED = 3;

/** `inner` with every call's prefill batch held to at most `capTokens` prompt tokens. */
export function prefillCappedPolicy(inner: Policy, capTokens: number): Policy {
  return rewriteAssign(
    inner,
    `${inner.name} with prefill batches ≤ ${capTokens} tokens`,
    (_c, priority, stage) => ({
      priority,
      stage: { ...stage, prefillBatchTokenCap: capTokens },
    }),
  );
}

/** The simulations `bestPrefillCappedStart` runs for `policies` ranked policies. */
export const prefillCappedRuns = (policies: number) =>
  Math.min(POLICIES_TRIED, policies) * CAP_FRACTIONS.length;

/**
 * The best of the `POLICIES_TRIED` best policies (`ranked`, best first) under each cap, or null
 * when no cap beats `toBeat` (ties keep the uncapped run).
 */
export async function bestPrefillCappedStart(
  scenario: Scenario,
  ranked: readonly string[],
  quantile: number,
  toBeat: number,
  onRun?: (done: number, total: number) => void,
): Promise<PrefillCappedStart | null> {
  let best: PrefillCappedStart | null = null;
  const total = prefillCappedRuns(ranked.length);
  let done = 0;
  for (const name of ranked.slice(0, POLICIES_TRIED)) {
    for (const fraction of CAP_FRACTIONS) {
      const capTokens = Math.max(1, Math.floor(DEFAULT_PREFILL_TOKEN_BUDGET * fraction));
      const policy = prefillCappedPolicy(getPolicy(name), capTokens);
      const scale = requiredScale(simulate(scenario, policy, { mode: 'realistic' }).scales, quantile);
      if (scale < (best?.scale ?? toBeat))
        best = { policy, label: `${name}, prefill batches ≤ ${capTokens} tokens`, capTokens, scale };
      onRun?.(++done, total);
      await yieldToEventLoop();
    }
  }
  return best;
}
