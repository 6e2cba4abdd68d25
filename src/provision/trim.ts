import type { InstanceType } from './types.ts';

/**
 * Phase 3 of the closed loop: the MILP sizes by average rates with a utilization cap, which can
 * over-provision a finite workload; the simulator decides whether fewer instances still meet
 * the target. Greedy: try removing one instance, most expensive type first; keep the first
 * removal that verifies and start over; stop after `maxTrials` simulations or when no removal
 * verifies. Skips clusters without a prefill and a decode instance per model, clusters whose
 * decoders cannot hold the largest call, and clusters dominated by one that already missed.
 */
export interface TrimHooks {
  types: InstanceType[];
  /** Largest KV (input + output tokens) of any call, per model. */
  maxKvTokens: Map<string, number>;
  /** Count vectors that missed the target. */
  excluded: number[][];
  /** Simulates a cluster (recording the iteration); true when it meets the target. */
  tryCounts(counts: number[]): boolean;
}

export function trimCluster(start: number[], hooks: TrimHooks, maxTrials: number): number[] {
  const { types } = hooks;
  let best = start;
  let trials = 0;
  let improved = true;
  while (improved && trials < maxTrials) {
    improved = false;
    const order = types
      .map((t) => t.index)
      .filter((i) => best[i]! > 0)
      .sort((a, b) => types[b]!.costPerHour - types[a]!.costPerHour || a - b);
    for (const t of order) {
      if (trials >= maxTrials) break;
      const cand = best.slice();
      cand[t]!--;
      if (!servable(cand, hooks)) continue;
      if (hooks.excluded.some((f) => cand.every((n, i) => n <= f[i]!))) continue;
      trials++;
      if (hooks.tryCounts(cand)) {
        best = cand;
        improved = true;
        break;
      }
    }
  }
  return best;
}

function servable(counts: number[], hooks: TrimHooks): boolean {
  for (const [model, kv] of hooks.maxKvTokens) {
    const has = (pred: (t: InstanceType) => boolean) =>
      hooks.types.some((t) => t.model === model && counts[t.index]! > 0 && pred(t));
    if (!has((t) => t.canPrefill) || !has((t) => t.canDecode && t.kvCapacityTokens >= kv)) return false;
  }
  return true;
}
