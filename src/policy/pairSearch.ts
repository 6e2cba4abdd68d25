import type { ResolvedInstance } from '../profile/costModel.ts';
import { decodeStepMs } from '../profile/formulas.ts';
import { durationsByModel, type ModelDurations } from './durations.ts';
import type { PolicyContext } from './policy.ts';
import type { PolicyView } from './view.ts';

const EXP = (k: string, d: number) => Number(process.env[k] ?? d);
const TIE = EXP('HX_TIE', 1);
const KVC = EXP('HX_KV', 1);
const RDEC = EXP('HX_RDEC', 1);

/**
 * HexAGenT's joint (prefill, decode) choice: the pair minimizing the projected finish
 *   F(p, d) = max(E_p + transfer(p, d), A_d) + decode_d
 * where E_p = when p's prefill lane has worked off its queue + this call's prefill, and A_d =
 * now when d has a free slot and KV room for everything committed to it plus this call, else
 * now + (d's remaining running and committed decode work) / concurrency_d.
 */
export class PairSearch {
  p = -1;
  d = -1;
  finishS = Number.POSITIVE_INFINITY;
  private arriveS = Number.POSITIVE_INFINITY;
  private readonly durations: (model: number) => ModelDurations;
  private readonly prefillEndS: Float64Array;
  private readonly decodeAvailS: Float64Array;
  private readonly eligible: Uint8Array;
  private readonly decS: Float64Array;

  constructor(
    private readonly view: PolicyView,
    private readonly mode: PolicyContext['mode'],
  ) {
    const n = view.instances.length;
    this.durations = durationsByModel(view);
    this.prefillEndS = new Float64Array(n);
    this.decodeAvailS = new Float64Array(n);
    this.eligible = new Uint8Array(n);
    this.decS = new Float64Array(n);
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
    const decExact = table.decode(input, output);
    const E = this.prefillEndS;
    const A = this.decodeAvailS;
    const ok = this.eligible;
    const dec = this.decS;

    let pStar = -1;
    let bestE = Number.POSITIVE_INFINITY;
    for (let k = 0; k < ps.length; k++) {
      const i = ps[k]!.index;
      const e = state.prefillFreeAtS(i, now) + pre[k]!;
      E[i] = e;
      if (e < bestE) {
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
      const busy = state.decodeRunning[i]! + state.decodeCommitted[i]!;
      const room = d.kvCapacityTokens - state.kvReservedTokens[i]! - state.kvCommittedTokens[i]! >= need;
      const slotFree = busy < d.decodeSlots;
      const conc = KVC ? Math.max(1, Math.min(d.decodeSlots, Math.floor(d.kvCapacityTokens / need))) : d.decodeSlots;
      A[i] = room && slotFree ? now : now + state.decodeBacklogS(i, now) / conc;
      if (RDEC && this.mode === 'realistic') {
        const batch = Math.min(d.decodeSlots, busy + 1);
        dec[i] = (output * decodeStepMs(d.profile, batch, batch * (input + output / 2))) / 1000;
      } else dec[i] = decExact[k]!;
      ok[i] = room ? 2 : 1;
      if (room) anyRoom = true;
    }
    const minOk = anyRoom ? 2 : 1;

    this.p = -1;
    this.d = -1;
    this.finishS = Number.POSITIVE_INFINITY;
    this.arriveS = Number.POSITIVE_INFINITY;
    const p0 = ps[pStar]!;
    for (let k = 0; k < ds.length; k++) {
      if (ok[ds[k]!.index]! >= minOk) this.consider(p0, ds[k]!, input);
    }
    let dStar = -1;
    let bestG = Number.POSITIVE_INFINITY;
    for (let k = 0; k < ds.length; k++) {
      const i = ds[k]!.index;
      if (ok[i]! < minOk) continue;
      const g = Math.max(bestE, A[i]!) + dec[i]!;
      if (g < bestG) {
        bestG = g;
        dStar = k;
      }
    }
    if (dStar >= 0) {
      const d = ds[dStar]!;
      for (const p of ps) this.consider(p, d, input);
    }
    for (let k = 0; k < ds.length; k++) {
      const d = ds[k]!;
      if (d.canPrefill && ok[d.index]! >= minOk) this.consider(d, d, input);
    }
  }

  private consider(p: ResolvedInstance, d: ResolvedInstance, input: number): void {
    const e = this.prefillEndS[p.index]!;
    const arrive = p.index === d.index ? e : e + this.view.cost.transferS(p, d, input);
    const f = Math.max(arrive, this.decodeAvailS[d.index]!) + this.decS[d.index]!;
    if (
      f < this.finishS ||
      (f === this.finishS &&
        ((TIE && arrive < this.arriveS) ||
          ((!TIE || arrive === this.arriveS) && (p.index < this.p || (p.index === this.p && d.index < this.d)))))
    ) {
      this.finishS = f;
      this.arriveS = arrive;
      this.p = p.index;
      this.d = d.index;
    }
  }
}
