import { durationsByModel, type ModelDurations } from './durations.ts';
import type { PolicyView } from './view.ts';

/**
 * HexAGenT's joint (prefill, decode) choice: the pair minimizing the projected finish
 *   F(p, d) = max(E_p + transfer(p, d), A_d) + decode_d
 * where E_p = when p's prefill lane has worked off its queue + this call's prefill, and A_d =
 * now when d has a free slot and KV room for everything committed to it plus this call, else
 * now + (d's remaining running and committed decode work) / slots.
 *
 * Only decode instances with KV room are considered when any has room; otherwise all that can
 * hold the call at all (it then waits for KV there, and A_d's backlog term prices that wait).
 *
 * Cost: O(P + D), not O(P · D). Transfer is the only term coupling p and d and it is small
 * next to prefill and decode, so the search is separable: (a) the earliest-prefill p* with
 * every d, (b) the d* best when transfer is ignored, with every p, (c) each mixed instance
 * with itself (no transfer). The minimum over these candidates is taken, ties to the lower
 * (p, d) index. It is exact when transfer is the same for every pair of distinct instances
 * (test/policy/pairSearch.test.ts checks this against brute force), and otherwise can miss
 * only pairs that are second-best on both sides, by at most a transfer time.
 */
export class PairSearch {
  p = -1;
  d = -1;
  finishS = Number.POSITIVE_INFINITY;
  private readonly durations: (model: number) => ModelDurations;
  private readonly prefillEndS: Float64Array;
  private readonly decodeAvailS: Float64Array;
  private readonly eligible: Uint8Array;

  constructor(private readonly view: PolicyView) {
    const n = view.instances.length;
    this.durations = durationsByModel(view);
    this.prefillEndS = new Float64Array(n);
    this.decodeAvailS = new Float64Array(n);
    this.eligible = new Uint8Array(n);
  }

  search(model: number, input: number, output: number): void {
    const view = this.view;
    const cost = view.cost;
    const state = view.state;
    const now = view.nowS;
    const table = this.durations(model);
    const ps = table.ps;
    const ds = table.ds;
    const pre = table.prefill(input);
    const dec = table.decode(input, output);
    const E = this.prefillEndS;
    const A = this.decodeAvailS;
    const ok = this.eligible;

    let pStar = -1;
    let bestE = Number.POSITIVE_INFINITY;
    for (let k = 0; k < ps.length; k++) {
      const i = ps[k]!.index;
      const e = state.prefillFreeAtS(i, now) + pre[k]!;
      E[i] = e;
      // `pStar < 0`: a choice is made even when every projection is infinite or NaN.
      if (pStar < 0 || e < bestE) {
        bestE = e;
        pStar = k;
      }
    }
    const need = cost.kvTokens(input, output);
    let anyRoom = false;
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      const i = d.index;
      if (d.kvCapacityTokens < need) {
        ok[i] = 0;
        continue;
      }
      const room = d.kvCapacityTokens - state.kvReservedTokens[i]! - state.kvCommittedTokens[i]! >= need;
      const slotFree = state.decodeRunning[i]! + state.decodeCommitted[i]! < d.decodeSlots;
      A[i] = room && slotFree ? now : now + state.decodeBacklogS(i, now) / d.decodeSlots;
      ok[i] = room ? 2 : 1;
      if (room) anyRoom = true;
    }
    const minOk = anyRoom ? 2 : 1;

    this.p = -1;
    this.d = -1;
    this.finishS = Number.POSITIVE_INFINITY;
    // (a) earliest prefill with every decode instance.
    const p0 = ps[pStar]!;
    for (let k = 0; k < ds.length; k++) {
      if (ok[ds[k]!.index]! >= minOk) this.consider(p0, E[p0.index]!, ds[k]!, dec[k]!, input);
    }
    // (b) the decode instance best without transfer, with every prefill instance.
    let dStar = -1;
    let bestG = Number.POSITIVE_INFINITY;
    for (let k = 0; k < ds.length; k++) {
      const i = ds[k]!.index;
      if (ok[i]! < minOk) continue;
      const a = A[i]!;
      const g = Math.max(bestE, a) + dec[k]!;
      if (dStar < 0 || g < bestG) {
        bestG = g;
        dStar = k;
      }
    }
    if (dStar >= 0) {
      const d = ds[dStar]!;
      for (const p of ps) this.consider(p, E[p.index]!, d, dec[dStar]!, input);
    }
    // (c) mixed instances keep their KV local (transfer 0).
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (d.canPrefill && ok[d.index]! >= minOk) this.consider(d, E[d.index]!, d, dec[k]!, input);
    }
  }

  private consider(
    p: PolicyView['instances'][number],
    prefillEndS: number,
    d: PolicyView['instances'][number],
    decodeS: number,
    input: number,
  ): void {
    const arrive = p.index === d.index ? prefillEndS : prefillEndS + this.view.cost.transferS(p, d, input);
    const a = this.decodeAvailS[d.index]!;
    const f = Math.max(arrive, a) + decodeS;
    if (
      this.p < 0 ||
      f < this.finishS ||
      (f === this.finishS && (p.index < this.p || (p.index === this.p && d.index < this.d)))
    ) {
      this.finishS = f;
      this.p = p.index;
      this.d = d.index;
    }
  }
}
