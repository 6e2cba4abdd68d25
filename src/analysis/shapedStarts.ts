import type { Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import { rewriteAssign, shiftedPriorities } from '../policy/rewriteAssign.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { DEFAULT_PREFILL_TOKEN_BUDGET, simulate } from '../sim/simulate.ts';
import { requiredScale } from '../slo/quantile.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import { compiledWorkload } from '../workload/compiled.ts';

/**
 * Upper bounds from the online policies with their schedules shaped in two ways a clairvoyant
 * scheduler may use, each run kept apart from the policies' own scales:
 *
 * - Smaller prefill batches. The realistic engine fills a prefill batch greedily up to its
 *   token budget, and every call of a batch waits for the whole batch: under load a short
 *   prompt behind long ones spends several times its own prefill there (on the README's
 *   300-workflow example, hexagent's edge workflows spend 15% of their standalone time in
 *   it). A schedule may form smaller batches (StageOptions prefillBatchTokenCap on every
 *   call), and the lower bound holds for any batch the engine can form.
 * - Shortest workflows first. Past capacity a queue builds whatever the order, and the
 *   quantile is set by who waits in it. Serving workflows in bands of standalone time,
 *   shortest band first (the policy's own order within a band), keeps the short ones out of
 *   the queue; on an overloaded 300-workflow cluster (docs/bounds.md "The upper side") it took
 *   edf's p95 from 4.30 to 3.89, where the priority search had reached 3.98.
 *
 * The best run, when it beats every policy, is where the searches start.
 */
export interface ShapedStart {
  policy: Policy;
  /** `hexagent, shortest workflows first, prefill batches ≤ 4096 tokens`. */
  label: string;
  /** The prefill cap every call carries, or null for the configured budget. */
  capTokens: number | null;
  scale: number;
}

/** The caps tried, as fractions of the budget. */
const CAP_FRACTIONS = [1 / 2, 1 / 4, 1 / 8, 1 / 16];
/** How many of the best policies are re-run with each shaping. */
const POLICIES_TRIED = 3;
/** Bands of standalone time for shortest-first (20 did best of 4, 20 and 100 on the bench). */
const SHORTEST_FIRST_BANDS = 20;
/**
 * Priority shift per band: beyond any policy's own keys (seconds, risks), and 20 bands stay
 * below one of the priority search's tiers (realisticSearch.ts TIER_SHIFT = 1e9), so the
 * search's boost and sacrifice still order before the bands.
 */
const BAND_SHIFT = 1e7;

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

/**
 * `inner` with its calls served by bands of their workflow's standalone time, shortest band
 * first: `bands` bands of equal workflow counts (ties by workflow index), `inner`'s order
 * within a band.
 */
export function shortestFirstPolicy(inner: Policy, scenario: Scenario, bands = SHORTEST_FIRST_BANDS): Policy {
  const s = scenario.standaloneS;
  const W = s.length;
  const order = Array.from({ length: W }, (_, w) => w).sort((a, b) => s[a]! - s[b]! || a - b);
  const bandOf = new Float64Array(W);
  order.forEach((w, rank) => {
    bandOf[w] = Math.floor((rank * bands) / W) * BAND_SHIFT;
  });
  const workflowOf = compiledWorkload(scenario.workload).workflowOf;
  return shiftedPriorities(inner, `${inner.name}, shortest workflows first`, (c) => bandOf[workflowOf[c]!]!);
}

/** The simulations `bestShapedStart` runs for `policies` ranked policies. */
export const shapedStartRuns = (policies: number) =>
  Math.min(POLICIES_TRIED, policies) * (CAP_FRACTIONS.length + 1);

/**
 * The best shaped run of the `POLICIES_TRIED` best policies (`ranked`: their runs at the budget,
 * best first): each under
 * every cap, then shortest-first on top of its best cap (or none), or null when no shaped run
 * beats `toBeat` (ties keep the policy as it is).
 */
export async function bestShapedStart(
  scenario: Scenario,
  ranked: readonly { name: string; scale: number }[],
  quantile: number,
  toBeat: number,
  onRun?: (done: number, total: number) => void,
): Promise<ShapedStart | null> {
  let best: ShapedStart | null = null;
  const total = shapedStartRuns(ranked.length);
  let done = 0;
  const scaleOf = async (policy: Policy) => {
    const scale = requiredScale(simulate(scenario, policy, { mode: 'realistic' }).scales, quantile);
    onRun?.(++done, total);
    await yieldToEventLoop();
    return scale;
  };
  const consider = (start: ShapedStart) => {
    if (start.scale < (best?.scale ?? toBeat)) best = start;
  };
  for (const { name, scale: atBudget } of ranked.slice(0, POLICIES_TRIED)) {
    const plain = getPolicy(name);
    // This policy's best cap, or none when no cap beats its run at the budget.
    let own: { policy: Policy; capTokens: number | null; scale: number } = {
      policy: plain,
      capTokens: null,
      scale: atBudget,
    };
    for (const fraction of CAP_FRACTIONS) {
      const capTokens = Math.max(1, Math.floor(DEFAULT_PREFILL_TOKEN_BUDGET * fraction));
      const policy = prefillCappedPolicy(plain, capTokens);
      const scale = await scaleOf(policy);
      if (scale < own.scale) own = { policy, capTokens, scale };
      consider({ policy, label: `${name}, prefill batches ≤ ${capTokens} tokens`, capTokens, scale });
    }
    const capTokens = own.capTokens;
    const policy = shortestFirstPolicy(own.policy, scenario);
    const label = `${name}, shortest workflows first${capTokens === null ? '' : `, prefill batches ≤ ${capTokens} tokens`}`;
    consider({ policy, label, capTokens, scale: await scaleOf(policy) });
  }
  return best;
}
