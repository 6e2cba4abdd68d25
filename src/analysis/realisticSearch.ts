import type { Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import { shiftedPriorities } from '../policy/rewriteAssign.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { simulate } from '../sim/simulate.ts';
import { requiredRank, requiredScale } from '../slo/quantile.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import { Rng } from '../util/random.ts';
import { compiledWorkload } from '../workload/compiled.ts';

/**
 * Upper bounds that are schedules: a large-neighbourhood search over workflow priorities,
 * scored by the realistic simulator, warm-started from the best policy. The base policy keeps
 * choosing placements; the search only moves whole workflows between three priority tiers:
 * `boost` (ahead of everything), normal, and `sacrifice` (behind everything). Only ⌈q·W⌉
 * workflows must meet the target, so giving up the W − ⌈q·W⌉ hopeless ones early and pushing
 * those at the quantile's edge ahead is exactly the freedom a clairvoyant scheduler has.
 * Every candidate is a full realistic simulation, so what it returns is a schedule that exists.
 * Deterministic: a fixed number of moves from a seeded generator, no wall clock.
 */
export interface SearchResult {
  scale: number;
  /** `search:<policy>` with the tiers that reached it, or the policy alone if nothing helped. */
  source: string;
  evaluations: number;
  improvements: number;
  /** The best schedule found, as a policy (the base policy itself when nothing helped). */
  best: Policy;
}

export interface SearchOptions {
  quantile: number;
  /** The policy to start from (usually the best one's name), as sources name it. */
  policy: string;
  /** Runs this instead of the registry's `policy` (a steered policy, under `policy` as its label). */
  inner?: Policy;
  /** Candidate schedules to simulate (default 60). */
  moves?: number;
  seed?: number;
  prefillTokenBudget?: number;
  /** After each candidate schedule: moves done of `moves`. */
  onMove?: (done: number, total: number) => void;
}

/** Priorities are shifted by this much per tier: far beyond any policy's own keys (seconds, risks). */
const TIER_SHIFT = 1e9;

/** A policy that runs `inner` with each call's priority moved to its workflow's tier. */
export function tieredPolicy(inner: Policy, tierOf: Int8Array, workflowOf: Int32Array): Policy {
  return shiftedPriorities(
    inner,
    `${inner.name} with workflow priority tiers`,
    (c) => tierOf[workflowOf[c]!]! * TIER_SHIFT,
  );
}

export async function searchPriorities(scenario: Scenario, options: SearchOptions): Promise<SearchResult> {
  const q = options.quantile;
  const inner = options.inner ?? getPolicy(options.policy);
  const W = scenario.workload.workflows.length;
  const r = requiredRank(W, q);
  const e = W - r;
  const rng = new Rng(options.seed ?? 1);
  const workflowOf = compiledWorkload(scenario.workload).workflowOf;
  const moves = options.moves ?? 60;
  const run = (tiers: Int8Array | null) => {
    const pol = tiers ? tieredPolicy(inner, tiers, workflowOf) : inner;
    const res = simulate(scenario, pol, {
      mode: 'realistic',
      ...(options.prefillTokenBudget !== undefined ? { prefillTokenBudget: options.prefillTokenBudget } : {}),
    });
    return { scale: requiredScale(res.scales, q), scales: res.scales };
  };
  let best = run(null);
  let bestTiers = new Int8Array(W);
  const start = best.scale;
  let evaluations = 1;
  let improvements = 0;
  const byScale = (scales: Float64Array) =>
    Array.from(scales.keys()).sort((a, b) => scales[a]! - scales[b]! || a - b);
  for (let m = 0; m < moves; m++) {
    const order = byScale(best.scales);
    const tiers = bestTiers.slice();
    const kind = m === 0 ? 0 : rng.int(0, 2);
    if (kind === 0 && e > 0) {
      // Give up the e worst workflows of the current best schedule.
      for (let j = r; j < W; j++) tiers[order[j]!] = 1;
    } else if (kind === 1) {
      // Push a few workflows at the quantile's edge ahead of the rest.
      const width = Math.max(1, Math.ceil(0.05 * W));
      const n = rng.int(1, Math.max(1, Math.ceil(width / 2)));
      for (let j = 0; j < n; j++) {
        const at = order[Math.min(W - 1, Math.max(0, r - 1 - rng.int(0, width)))]!;
        tiers[at] = tiers[at] === 1 ? 0 : -1;
      }
    } else {
      // Undo a few tiers at random: tiers that stopped helping.
      const n = rng.int(1, 3);
      for (let j = 0; j < n; j++) tiers[rng.int(0, W - 1)] = 0;
    }
    const cand = run(tiers);
    evaluations++;
    if (cand.scale < best.scale) {
      best = cand;
      bestTiers = tiers;
      improvements++;
    }
    options.onMove?.(m + 1, moves);
    await yieldToEventLoop();
  }
  let boosted = 0;
  let sacrificed = 0;
  for (const t of bestTiers) {
    if (t < 0) boosted++;
    else if (t > 0) sacrificed++;
  }
  return {
    scale: best.scale,
    source:
      best.scale < start
        ? `search:${options.policy} (${boosted} boosted, ${sacrificed} sacrificed workflows)`
        : `policy:${options.policy}`,
    evaluations,
    improvements,
    best: best.scale < start ? tieredPolicy(inner, bestTiers, workflowOf) : inner,
  };
}
