import type { ResolvedInstance } from '../profile/costModel.ts';
import { decodeStepMs } from '../profile/formulas.ts';
import type { ClusterState } from './clusterState.ts';
import { durationsByModel, type ModelDurations, minOf } from './durations.ts';
import type { PolicyView } from './view.ts';

/**
 * HexAGenT's joint (prefill, decode) choice: the pair minimizing the projected finish
 *   F(p, d) = max(E_p + transfer(p, d), A_d) + decode_d
 * where E_p = when p's prefill lane has worked off its queue + this call's prefill, and A_d =
 * now when d has a free slot and KV room for everything committed to it plus this call, else
 * now + (d's remaining running and committed decode work) / slots.
 *
 * Ties in F go to the pair whose KV reaches the decode instance first (earliest E_p +
 * transfer), then to the lower (p, d) index. This tie is the common case under load, not a
 * corner: once A_d dominates (d's backlog includes decodes committed by calls still waiting
 * for their prefill), F no longer depends on p, and an index tie-break sent every such call to
 * the first prefill instance — on a loaded mixed workload (800 workflows, load 1.0, hetero-6)
 * its mean prefill wait was 22 s against 1.3–1.7 s under edf, and hexagent's p95 scale 14.0
 * against edf's 2.28. Preferring the earliest arrival keeps F exact for this call and spends
 * the prefill lane that delays the fewest later calls (docs/simulator.md, measured effect).
 *
 * Only decode instances with KV room are considered when any has room; otherwise all that can
 * hold the call at all (it then waits for KV there, and A_d's backlog term prices that wait).
 *
 * With a delay cost (hexagent; `setQueuedWeights`), the pair minimizes F(p, d) + D_p instead,
 * D_p pricing the wait this call's prefill adds to the calls it overtakes on p (see search).
 *
 * Cost: O(P + D), not O(P · D). Transfer is the only term coupling p and d and it is small
 * next to prefill and decode, so the search is separable: (a) every prefill instance that no
 * other beats on both E_p and D_p with every d — without a delay cost, the earliest-prefill p*
 * alone, and a handful with one — (b) the d* best when transfer is ignored, with every p, (c)
 * each mixed instance with itself (no transfer). The minimum over these candidates is taken
 * under the order above. It is exact when transfer is the same for every pair of distinct
 * instances (test/policy/pairSearch.test.ts checks this against brute force, with and without
 * a delay cost), and otherwise can miss only pairs that are second-best on both sides, by at
 * most a transfer time.
 */
export class PairSearch {
  p = -1;
  d = -1;
  finishS = Number.POSITIVE_INFINITY;
  /** The chosen pair's own prefill, transfer and decode durations. */
  prefillS = 0;
  transferS = 0;
  decodeS = 0;
  private arriveS = Number.POSITIVE_INFINITY;
  /** Per call, the weight of a delay to it in the delay cost (null: no delay cost; see search). */
  private queuedWeights: Float64Array | null = null;
  private readonly durations: (model: number) => ModelDurations;
  /** Per instance (ResolvedInstance.index), this decision's E_p, A_d, decode and prefill. */
  private readonly prefillEndS: Float64Array;
  private readonly decodeAvailS: Float64Array;
  private readonly decS: Float64Array;
  private readonly prefillDurS: Float64Array;
  /** Per prefill instance, this decision's delay cost (0 without a delay cost). */
  private readonly delayCostS: Float64Array;
  /** This decision's prefill instances not beaten on both E_p and D_p (see search). */
  private readonly front: Int32Array;
  /** Per instance: 2 KV room now, 1 holds the call but no room now, 0 cannot hold it. */
  private readonly eligible: Uint8Array;
  /** Decode instances (ResolvedInstance.index) with room now, and all that can hold the call, in `ds` order. */
  private readonly roomy: Int32Array;
  private readonly fitting: Int32Array;
  /** Per decode instance: its F with p* and no transfer, a lower bound on F(p*, d). */
  private readonly lowerS: Float64Array;
  /** Transfers cannot be negative, so F without transfer is a lower bound on F. */
  private readonly transfersNonNegative: boolean;
  /**
   * Per instance, with `sharedGpus`: 0 its GPU serves one stage, 1 a timeshared mixed instance
   * (whole prefill batches first), 2 one that chunks prompts into decode iterations.
   */
  private readonly sharedKind: Uint8Array;

  /**
   * Options (all off by default: the projected finish of the class comment):
   * - `batchAware` (realistic mode): a decode is projected at the batch it would join —
   *   running + committed + itself, up to the slots — not at the exact model's nominal batch,
   *   since continuous batching makes every sequence on a crowded instance slower.
   * - `queueKeyAware`: E_p waits only for the queued calls keyed at or below this call's prefill
   *   key B_c − (prefill_p + fastest decode), the ones it would not overtake (see hexagent.ts).
   * - `batchedPrefill` (realistic mode, with a delay cost): the delay cost also charges the
   *   calls queued ahead of this one, which it joins in a batched prefill (see search).
   * - `sharedGpus` (realistic mode): on a mixed instance whose stages share one GPU
   *   (ResolvedInstance.timeshare), prompts chunked beside B decoding sequences are projected
   *   `1 + (d1·B + d2·C) / chunk` times slower (chunkedSlowdown), and with a delay cost a
   *   prefill placed there also charges its prefill to each of the B decodes it pauses or slows.
   *   Without it the choice saw such an instance as a GPU per stage and, under load, crowded
   *   both stages onto it (docs/simulator.md, "Mixed instances that share their GPU"). Charging
   *   its decodes for the prefill work queued there as well was measured and not kept: it
   *   changed nothing on hetero-6 and hetero-32 and made all-mixed clusters worse.
   */
  constructor(
    private readonly view: PolicyView,
    private readonly options: {
      batchAware?: boolean;
      queueKeyAware?: boolean;
      batchedPrefill?: boolean;
      sharedGpus?: { prefillTokenBudget: number };
    } = {},
  ) {
    const n = view.instances.length;
    this.durations = durationsByModel(view);
    this.prefillEndS = new Float64Array(n);
    this.decodeAvailS = new Float64Array(n);
    this.decS = new Float64Array(n);
    this.prefillDurS = new Float64Array(n);
    this.delayCostS = new Float64Array(n);
    this.front = new Int32Array(n);
    this.eligible = new Uint8Array(n);
    this.roomy = new Int32Array(n);
    this.fitting = new Int32Array(n);
    this.lowerS = new Float64Array(n);
    this.transfersNonNegative = view.cost.transfersNonNegative;
    this.sharedKind = Uint8Array.from(view.instances, (i) =>
      options.sharedGpus === undefined || !i.timeshare ? 0 : i.chunkedPrefill ? 2 : 1,
    );
  }

  /**
   * Per call number, the weight of a delay to that call in the delay cost; the array may be
   * replaced as it grows. Without it (the default) there is no delay cost.
   */
  setQueuedWeights(weights: Float64Array): void {
    this.queuedWeights = weights;
  }

  /**
   * `finishByS` (B_c, when the policy keys its queues as hexagent does): with `queueKeyAware`,
   * E_p counts only the queued prefill work this call would not overtake. With queued weights
   * and `ownWeight` (this call's weight is 1 / ownWeight), each pair also pays a delay cost
   *   D_p = ownWeight · (prefill_p · Σ weight over the calls queued on p keyed above this
   *         call's prefill key (those it overtakes, each delayed by its prefill)
   *       + (prefill_p − p0_p) · Σ weight over those keyed at or below it, with `batchedPrefill`)
   * and the pair minimizing F + D_p is chosen: F / ownWeight + D_p / ownWeight is the weighted
   * sum of delays the choice adds, this call's own included. The second term is batched
   * prefill's: a batch ends for all its calls together, so a call that joins the calls ahead of
   * it lengthens their batch by its own prefill less the fixed cost p0 the batch pays once.
   */
  search(model: number, input: number, output: number, finishByS = Number.NaN, ownWeight = Number.NaN): void {
    const view = this.view;
    const state = view.state;
    const now = view.nowS;
    const table = this.durations(model);
    const E = this.prefillEndS;
    const A = this.decodeAvailS;
    const ok = this.eligible;
    const dec = this.decS;
    const preDur = this.prefillDurS;

    const pIndex = table.pIndex;
    const pGroup = table.pGroup;
    const preG = table.prefillGroupS(input);
    const cost = this.delayCostS;
    const weights = this.queuedWeights;
    const delayed = weights !== null && !Number.isNaN(finishByS) && !Number.isNaN(ownWeight);
    // The prefill instances no other beats on both E_p and D_p (a tie goes to the lower index):
    // for any d, the best p is one of them when transfer is the same for every pair. Without a
    // delay cost this is the earliest-prefill p* alone. bestE and minCost: the least E_p + D_p
    // and the least D_p, for the lower bounds below.
    const front = this.front;
    let nFront = 0;
    let bestE = Number.POSITIVE_INFINITY;
    let minCost = Number.POSITIVE_INFINITY;
    // The call's prefill key on p, estimated with the fastest decode (the pair is not chosen yet).
    const keyed = this.options.queueKeyAware === true && !Number.isNaN(finishByS);
    const keyBaseS = keyed || delayed ? finishByS - minOf(table.decodeGroupS(input, output)) : 0;
    const batched = this.options.batchedPrefill === true;
    const fixedS = table.pBatchFixedS;
    const shared = this.sharedKind;
    const budget = this.options.sharedGpus?.prefillTokenBudget ?? 0;
    for (let k = 0; k < pIndex.length; k++) {
      const i = pIndex[k]!;
      const pre = preG[pGroup[k]!]!;
      let e: number;
      let c = 0;
      if (keyed || delayed) {
        const split = state.prefillSplitAt(i, now, keyBaseS - pre, delayed ? weights : null);
        e = (keyed ? split.freeS : state.prefillFreeAtS(i, now)) + pre;
        if (delayed) {
          const joined = batched ? (pre - fixedS[k]!) * split.aheadWeight : 0;
          c = ownWeight * (pre * split.overtakenWeight + joined);
        }
      } else e = state.prefillFreeAtS(i, now) + pre;
      if (shared[i] !== 0 && state.decodeRunning[i]! > 0) {
        const running = state.decodeRunning[i]!;
        if (shared[i] === 2)
          e = now + (e - now) * chunkedSlowdown(view.instances[i]!, running, state, budget);
        // Whole batches pause the B running decodes for this prefill, chunks slow them by as much.
        if (delayed) c += pre * running;
      }
      E[i] = e;
      cost[i] = c;
      preDur[i] = pre;
      if (e + c < bestE) bestE = e + c;
      if (c < minCost) minCost = c;
      // A NaN projection is beaten by none and beats none: it stays, so a choice is made even
      // when every projection is NaN.
      let beaten = false;
      for (let j = 0; j < nFront && !beaten; j++) beaten = E[front[j]!]! <= e && cost[front[j]!]! <= c;
      if (beaten) continue;
      let kept = 0;
      for (let j = 0; j < nFront; j++) {
        const q = front[j]!;
        if (!(e <= E[q]! && c <= cost[q]!)) front[kept++] = q;
      }
      front[kept] = i;
      nFront = kept + 1;
    }

    const need = view.cost.kvTokens(input, output);
    const dIndex = table.dIndex;
    const dGroup = table.dGroup;
    const capacity = table.dKvCapacityTokens;
    const slots = table.dSlots;
    const decG = this.options.batchAware === true ? undefined : table.decodeGroupS(input, output);
    const lowerS = this.lowerS;
    const roomy = this.roomy;
    const fitting = this.fitting;
    let nRoomy = 0;
    let nFitting = 0;
    // d* (the best d when transfer is ignored) of either candidate list, in `ds` order.
    let dStarRoomy = -1;
    let dStarFitting = -1;
    const reserved = state.kvReservedTokens;
    const committed = state.kvCommittedTokens;
    const running = state.decodeRunning;
    const committedCalls = state.decodeCommitted;
    for (let k = 0; k < dIndex.length; k++) {
      const i = dIndex[k]!;
      const cap = capacity[k]!;
      if (cap < need) {
        ok[i] = 0;
        continue;
      }
      const room = cap - reserved[i]! - committed[i]! >= need;
      const batch = running[i]! + committedCalls[i]!;
      const a = room && batch < slots[k]! ? now : now + state.decodeBacklogS(i, now) / slots[k]!;
      const decodeS = decG ? decG[dGroup[k]!]! : batchDecodeS(table.ds[k]!, batch + 1, input, output);
      A[i] = a;
      dec[i] = decodeS;
      const g = Math.max(bestE, a + minCost) + decodeS;
      lowerS[i] = g;
      ok[i] = room ? 2 : 1;
      fitting[nFitting++] = i;
      if (dStarFitting < 0 || g < lowerS[dStarFitting]!) dStarFitting = i;
      if (room) {
        roomy[nRoomy++] = i;
        if (dStarRoomy < 0 || g < lowerS[dStarRoomy]!) dStarRoomy = i;
      }
    }
    const minOk = nRoomy > 0 ? 2 : 1;
    const list = nRoomy > 0 ? roomy : fitting;
    const n = nRoomy > 0 ? nRoomy : nFitting;
    const dStar = nRoomy > 0 ? dStarRoomy : dStarFitting;

    // The candidates are considered in the order (p*, every d), (p°, every d), (every p, d*),
    // (mixed d, d): the order only matters when projections are NaN, and then it is the
    // documented one. A candidate is skipped when a lower bound on its F + D_p (without
    // transfer) is already above the best: it could not have won, so the choice is the same,
    // and most candidates skip the transfer (a division) and the comparisons.
    this.p = -1;
    this.d = -1;
    this.finishS = Number.POSITIVE_INFINITY;
    this.arriveS = Number.POSITIVE_INFINITY;
    const prune = this.transfersNonNegative && input >= 0;
    for (let f = 0; f < nFront; f++) {
      const p = front[f]!;
      const e = E[p]!;
      const c = cost[p]!;
      for (let j = 0; j < n; j++) {
        const i = list[j]!;
        if (prune && this.p >= 0 && Math.max(e, A[i]!) + dec[i]! + c > this.finishS) continue;
        this.consider(p, i, input);
      }
    }
    if (dStar >= 0) {
      const a = A[dStar]!;
      const decodeS = dec[dStar]!;
      for (let k = 0; k < pIndex.length; k++) {
        const p = pIndex[k]!;
        if (prune && this.p >= 0 && Math.max(E[p]!, a) + decodeS + cost[p]! > this.finishS) continue;
        this.consider(p, dStar, input);
      }
    }
    const mixed = table.dMixed;
    for (let j = 0; j < mixed.length; j++) {
      const i = dIndex[mixed[j]!]!;
      if (ok[i]! >= minOk) this.consider(i, i, input);
    }
  }

  /** Candidate pair (p, d), by ResolvedInstance.index, under the order in the class comment. */
  private consider(p: number, d: number, input: number): void {
    const e = this.prefillEndS[p]!;
    const arrive = p === d ? e : e + this.view.cost.transferBetweenS(p, d, input);
    const f = Math.max(arrive, this.decodeAvailS[d]!) + this.decS[d]! + this.delayCostS[p]!;
    if (
      this.p < 0 ||
      f < this.finishS ||
      (f === this.finishS &&
        (arrive < this.arriveS || (arrive === this.arriveS && (p < this.p || (p === this.p && d < this.d)))))
    ) {
      this.finishS = f;
      this.arriveS = arrive;
      this.prefillS = this.prefillDurS[p]!;
      this.transferS = arrive - e;
      this.decodeS = this.decS[d]!;
      this.p = p;
      this.d = d;
    }
  }
}

/** A decode of `output` tokens in a batch of `batch` sequences like it (capped at the slots), seconds. */
function batchDecodeS(d: ResolvedInstance, batch: number, input: number, output: number): number {
  const b = Math.min(batch, d.decodeSlots);
  return (output * decodeStepMs(d.profile, b, b * (input + output / 2))) / 1000;
}

/**
 * How much slower prompts run on a chunking shared instance with `running` sequences decoding:
 * each iteration of `budget − B` prompt tokens also carries their decode step (d1·B + d2·C, C
 * the context their KV holds) and the larger of the two fixed costs.
 */
function chunkedSlowdown(
  inst: ResolvedInstance,
  running: number,
  state: ClusterState,
  budget: number,
): number {
  const { prefill, decode } = inst.profile;
  const chunk = Math.max(1, budget - running);
  const chunkMs = prefill.p0_ms + prefill.p1_ms_per_token * chunk;
  const stepMs =
    Math.max(decode.d0_ms, prefill.p0_ms) -
    prefill.p0_ms +
    decode.d1_ms_per_seq * running +
    decode.d2_ms_per_token * state.kvReservedTokens[inst.index]!;
  return 1 + stepMs / chunkMs;
}
