import type { Scenario } from '../scenario/scenario.ts';
import { requiredRank } from '../slo/quantile.ts';
import type { CallFloors, ResourceName } from './floors.ts';

/**
 * Capacity ("energy") bounds, near-linear in the number of calls.
 *
 * Resource pools, per model m (a call runs only on instances of its workflow's model):
 * - prefill-capacity: the prefill lanes P_m; a call's work is w_i = min_p prefill_p(i). Lane p
 *   has speed ratio ρ_p = min_i prefill_p(i) / w_i ≥ 1 over the calls of model m, so a call it
 *   runs costs it ≥ ρ_p · w_i; busy at most E − t in a window [t, E], it runs calls whose
 *   works sum to ≤ (E − t) / ρ_p. Hence Σ work ≤ cap_m · (E − t), cap_m = Σ_p 1/ρ_p ≤ |P_m|.
 * - decode-slot-capacity: work min_d decode_d / slots_d, the same speed ratios: instance d runs
 *   at most slots_d · (E − t) slot-seconds, i.e. Σ_{i on d} decode_d(i) / slots_d ≤ E − t.
 * - decode-slot-seconds: work min_d decode_d, capacity Σ_d slots_d (pooled).
 * - kv-capacity / kv-token-seconds: the same with kv_i · decode_d(i) token-seconds against
 *   kvCapacity_d (per instance, and pooled).
 * Only decodes that fit an instance's KV count as options (a call never runs elsewhere).
 */

/**
 * Makespan: for a release threshold t, every stage of the pool whose earliest start is ≥ t
 * runs inside [t, E], so E ≥ t + Σ work / capacity; the stage ending last at E still has at
 * least the smallest tail of the set before its workflow ends. Max over t (prefix sums over
 * calls sorted by release), per model.
 */
export function makespanCapacityBound(floors: CallFloors, resource: ResourceName): number {
  const isPrefill = resource === 'prefill-capacity';
  let best = 0;
  floors.models.forEach((_, m) => {
    const cap = floors.capacity[resource][m]!;
    const idx: number[] = [];
    for (let g = 0; g < floors.calls; g++) if (floors.modelOf[g] === m) idx.push(g);
    const release = (g: number) =>
      isPrefill ? floors.releaseS[g]! : floors.releaseS[g]! + floors.minBeforeDecodeS[g]!;
    const tail = (g: number) =>
      isPrefill ? floors.minAfterPrefillS[g]! + floors.descendantsS[g]! : floors.descendantsS[g]!;
    idx.sort((a, b) => release(b) - release(a) || a - b);
    let work = 0;
    let minTail = Number.POSITIVE_INFINITY;
    for (const g of idx) {
      work += floors.work[resource][g]!;
      minTail = Math.min(minTail, tail(g));
      best = Math.max(best, release(g) + work / cap + minTail);
    }
  });
  return best;
}

/**
 * Required scale at quantile q: an energy argument over windows [t, τ], as for EDF.
 * Suppose a schedule has required scale ≤ k. Then a set M of r = ⌈q·W⌉ workflows finish by
 * their deadline d_w = a_w + k·s_w, so it misses at most e = W − r workflows. Take a model m,
 * a pool of it, and a window [t, τ]; let B = {w of model m : start_w ≥ t, d_w − tail_w ≤ τ},
 * where start_w is the earliest release of w's stages in the pool and tail_w the least time
 * from the end of one of them to w's end. Every such stage of M ∩ B runs inside [t, τ], and |M ∩ B| ≥ |B| − e; the cheapest such set is B
 * without its e largest works, so Σ_B work − (e largest) ≤ cap_m · (τ − t) must hold. If it
 * fails for some window, no schedule reaches k. As k grows every d_w grows and each B shrinks,
 * so the condition is monotone in k, and the largest k found failing (bisection, keeping the
 * failing end) is a valid lower bound. Windows: t over arrivals (all of them up to 256
 * distinct ones, else 64 spread ones), τ over the deadlines swept in order; per model with
 * the whole budget e each (valid, as M misses at most e of any model).
 */
export function quantileCapacityBound(
  scenario: Scenario,
  floors: CallFloors,
  resource: ResourceName,
  quantile: number,
): number {
  const flows = scenario.workload.workflows;
  const W = flows.length;
  const e = W - requiredRank(W, quantile);
  const s = scenario.standaloneS;
  const wfWork = new Float64Array(W);
  const wfModel = new Int32Array(W);
  // Window of w's work in this pool: no stage starts before startS_w, and every stage ends at
  // least tailS_w before the workflow does (its smallest tail), i.e. by d_w − tailS_w.
  const startS = new Float64Array(W).fill(Number.POSITIVE_INFINITY);
  const tailS = new Float64Array(W).fill(Number.POSITIVE_INFINITY);
  const isPrefill = resource === 'prefill-capacity';
  for (let g = 0; g < floors.calls; g++) {
    const w = floors.workflowOf[g]!;
    wfWork[w]! += floors.work[resource][g]!;
    wfModel[w] = floors.modelOf[g]!;
    const release = floors.releaseS[g]! + (isPrefill ? 0 : floors.minBeforeDecodeS[g]!);
    const tail = floors.descendantsS[g]! + (isPrefill ? floors.minAfterPrefillS[g]! : 0);
    startS[w] = Math.min(startS[w]!, release);
    tailS[w] = Math.min(tailS[w]!, tail);
  }
  let best = 1;
  floors.models.forEach((_, m) => {
    const cap = floors.capacity[resource][m]!;
    const mine = flows.map((_, w) => w).filter((w) => wfModel[w] === m);
    if (mine.length <= e) return; // all of them may be the missed ones
    const arrivals = [...new Set(mine.map((w) => startS[w]!))].sort((a, b) => a - b);
    const thresholds =
      arrivals.length <= 256
        ? arrivals
        : Array.from({ length: 64 }, (_, k) => arrivals[Math.floor((k * arrivals.length) / 64)]!);
    const heap = new MinHeap();
    const fails = (k: number): boolean => {
      const deadline = (w: number) => flows[w]!.arrival_s + k * s[w]! - tailS[w]!;
      const order = mine.slice().sort((x, y) => deadline(x) - deadline(y) || x - y);
      for (const t of thresholds) {
        heap.clear();
        let total = 0;
        let top = 0; // sum of the e largest works so far
        for (const w of order) {
          if (startS[w]! < t) continue;
          const x = wfWork[w]!;
          total += x;
          if (e > 0) {
            if (heap.size < e) {
              heap.push(x);
              top += x;
            } else if (x > heap.peek()) {
              top += x - heap.replaceTop(x);
            }
          }
          if (total - top > cap * (deadline(w) - t) * (1 + 1e-12)) return true;
        }
      }
      return false;
    };
    if (!fails(best)) return;
    let lo = best;
    let hi = 2 * best;
    while (fails(hi)) {
      lo = hi;
      hi *= 2;
    }
    for (let it = 0; it < 50 && hi - lo > 1e-9 * hi; it++) {
      const mid = (lo + hi) / 2;
      if (fails(mid)) lo = mid;
      else hi = mid;
    }
    best = Math.max(best, lo);
  });
  return best;
}

/** A binary min-heap of numbers: the smallest of the e largest works sits on top. */
class MinHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  clear(): void {
    this.a.length = 0;
  }
  peek(): number {
    return this.a[0]!;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  /** Replaces the minimum with x and returns the old minimum. */
  replaceTop(x: number): number {
    const a = this.a;
    const old = a[0]!;
    a[0] = x;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && a[l]! < a[m]!) m = l;
      if (r < a.length && a[r]! < a[m]!) m = r;
      if (m === i) break;
      [a[m], a[i]] = [a[i]!, a[m]!];
      i = m;
    }
    return old;
  }
}
