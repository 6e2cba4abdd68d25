import type { Candidate, CandidatePool } from './candidates.ts';
import type { InstanceType } from './types.ts';

export interface LocalSearchResult {
  best: Candidate;
  /** Moves that verified and were kept. */
  accepted: number;
  simulations: number;
  /**
   * True when no neighbour (one instance fewer, or one replaced by a cheaper type of any role)
   * met the target: each was simulated and missed, or has no more of any type than a cluster
   * that missed (monotonicity, assumed). False when the simulation cap cut the search.
   */
  locallyMinimal: boolean;
  note?: string;
}

/**
 * Goes cheaper from the cheapest verified candidate by simulation: the MILP sizes by average
 * rates under a utilization cap and the baselines by one GPU type, so a cheaper neighbour can
 * still verify. Neighbours, cheapest first: remove one instance; replace one instance by one of
 * a cheaper type (another GPU or another role, which also changes the P:D ratio). The first
 * that verifies is taken and the search restarts from it (first improvement). Neighbours that
 * cannot hold the workload (no prefill or no decode instance with room for the largest call)
 * are skipped.
 */
export async function localSearch(
  pool: CandidatePool,
  start: Candidate,
  maxSimulations: number,
): Promise<LocalSearchResult> {
  const types = pool.types;
  const maxKv = largestCallKv(pool);
  const begin = pool.simulations;
  let best = start;
  let accepted = 0;
  for (;;) {
    const cost = best.costPerHour;
    const neighbours = neighboursOf(best.counts, types)
      .filter((c) => servable(c, types, maxKv))
      .map((c) => ({ c, cost: pool.costOf(c) }))
      .filter((n) => n.cost < cost - 1e-9)
      .sort((a, b) => a.cost - b.cost || a.c.join(',').localeCompare(b.c.join(',')));
    let moved = false;
    for (const n of neighbours) {
      const known = pool.lookup(n.c);
      if (known && !known.met) continue;
      if (!known && pool.dominatedByFailure(n.c)) continue;
      if (!known && pool.simulations - begin >= maxSimulations) {
        return {
          best,
          accepted,
          simulations: pool.simulations - begin,
          locallyMinimal: false,
          note: `simulation cap ${maxSimulations} reached with neighbours left untried`,
        };
      }
      const cand = known ?? (await pool.evaluate(n.c, 'local-search'));
      pool.say(
        `local search: $${cand.costPerHour.toFixed(2)}/h, scale ${cand.scale.toFixed(3)}${cand.met ? ' (met)' : ''}`,
      );
      if (cand.met) {
        best = pool.lookup(n.c)!;
        accepted++;
        moved = true;
        break;
      }
    }
    if (!moved) return { best, accepted, simulations: pool.simulations - begin, locallyMinimal: true };
  }
}

function neighboursOf(counts: number[], types: InstanceType[]): number[][] {
  const out: number[][] = [];
  counts.forEach((n, t) => {
    if (n <= 0) return;
    const fewer = counts.slice();
    fewer[t]!--;
    out.push(fewer);
    for (const u of types) {
      if (u.index === t || u.model !== types[t]!.model) continue;
      if (!(u.costPerHour < types[t]!.costPerHour)) continue;
      const swapped = fewer.slice();
      swapped[u.index]!++;
      out.push(swapped);
    }
  });
  return out;
}

function largestCallKv(pool: CandidatePool): Map<string, number> {
  const { workload, demand } = pool.ctx;
  const out = new Map<string, number>();
  demand.table.calls.forEach(([w], c) => {
    const model = workload.workflows[w]!.model;
    out.set(model, Math.max(out.get(model) ?? 0, demand.table.kvTokens[c]!));
  });
  return out;
}

function servable(counts: number[], types: InstanceType[], maxKv: Map<string, number>): boolean {
  for (const [model, kv] of maxKv) {
    const has = (pred: (t: InstanceType) => boolean) =>
      types.some((t) => t.model === model && counts[t.index]! > 0 && pred(t));
    if (!has((t) => t.canPrefill) || !has((t) => t.canDecode && t.kvCapacityTokens >= kv)) return false;
  }
  return true;
}
