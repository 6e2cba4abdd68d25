import type { EngineCore, ExecutionModel } from './engine.ts';
import * as events from './events.ts';
import type { CallTrace } from './types.ts';

const EV_DECODE = events.EV_DECODE;
const EV_PREFILL_END = events.EV_PREFILL_END;
const EV_TRANSFER_END = events.EV_TRANSFER_END;

/**
 * Exact mode, the planner's model and nothing else: one prefill at a time per instance
 * lasting cost.prefillS; transfer cost.transferS; at most decodeSlots decodes per instance,
 * each lasting cost.decodeS and holding input + output KV tokens for [start, end). Intervals
 * are half-open, so resources freed at t are reusable at t.
 *
 * A decode whose KV does not fit waits for room and blocks the calls behind it on that
 * instance, so big calls cannot starve; it never deadlocks because every call fits its
 * instance's capacity alone (checked at assignment) and running decodes always end.
 */
export class ExactExecution implements ExecutionModel {
  readonly #core: EngineCore;
  readonly #trace: CallTrace;
  /** Call running on each prefill lane, or -1. */
  readonly #prefillCurrent: Int32Array;
  readonly #decodeBusySinceS: Float64Array;
  readonly #kvLastChangeS: Float64Array;

  constructor(core: EngineCore) {
    const I = core.insts.length;
    this.#core = core;
    this.#trace = core.trace;
    this.#prefillCurrent = new Int32Array(I).fill(-1);
    this.#decodeBusySinceS = new Float64Array(I);
    this.#kvLastChangeS = new Float64Array(I);
  }

  /** KV held on d changes by delta at nowS (the occupancy integral is kept exactly). */
  #kvChange(d: number, delta: number): void {
    const { state, usage, nowS } = this.#core;
    usage.kvTokenS[d]! += state.kvReservedTokens[d]! * (nowS - this.#kvLastChangeS[d]!);
    this.#kvLastChangeS[d] = nowS;
    state.kvReservedTokens[d]! += delta;
    if (state.kvReservedTokens[d]! > usage.kvPeakTokens[d]!)
      usage.kvPeakTokens[d] = state.kvReservedTokens[d]!;
  }

  decodeEvent(c: number): void {
    const core = this.#core;
    const { state, usage, nowS } = core;
    const d = this.#trace.decodeInstance[c]!;
    state.decodeRunning[d]!--;
    state.decodeRunningEndSumS[d]! -= nowS;
    if (state.decodeRunning[d] === 0) {
      state.decodeRunningEndSumS[d] = 0;
      usage.decodeBusyS[d]! += nowS - this.#decodeBusySinceS[d]!;
    }
    this.#kvChange(d, -core.kvNeedTokens[c]!);
    core.markDirty(d);
    core.serviceS[c] = core.prefillS[c]! + core.decodeS[c]!;
    core.finishCall(c);
  }

  prefillEnd(c: number): void {
    const core = this.#core;
    const trace = this.#trace;
    const p = trace.prefillInstance[c]!;
    this.#prefillCurrent[p] = -1;
    core.markDirty(p);
    const insts = core.insts;
    const t =
      core.nowS + core.cost.transferS(insts[p]!, insts[trace.decodeInstance[c]!]!, core.wl.inputTokens[c]!);
    trace.transferEndS[c] = t;
    core.events.push(t, EV_TRANSFER_END, c);
  }

  startPrefill(p: number): void {
    if (this.#prefillCurrent[p] !== -1) return;
    const core = this.#core;
    const q = core.prefillQueue[p]!;
    if (q.size === 0) return;
    const now = core.nowS;
    const c = q.peekId();
    const notBefore = core.prefillNotBeforeS;
    if (notBefore !== null && notBefore[c]! > now) {
      core.wakeAt(p, notBefore[c]!);
      return;
    }
    q.pop();
    const { state, usage } = core;
    const dur = core.prefillS[c]!;
    this.#trace.prefillStartS[c] = now;
    this.#trace.prefillEndS[c] = now + dur;
    this.#prefillCurrent[p] = c;
    state.prefillBusyUntilS[p] = now + dur;
    if (--state.prefillQueued[p]! === 0) state.prefillQueuedS[p] = 0;
    else state.prefillQueuedS[p]! -= dur;
    usage.prefillBusyS[p]! += dur;
    core.events.push(now + dur, EV_PREFILL_END, c);
  }

  startDecode(d: number): void {
    const core = this.#core;
    const { state, usage, nowS: now } = core;
    const q = core.decodeQueue[d]!;
    const slots = core.insts[d]!.decodeSlots;
    const cap = core.insts[d]!.kvCapacityTokens;
    const notBefore = core.decodeNotBeforeS;
    while (q.size > 0 && state.decodeRunning[d]! < slots) {
      const c = q.peekId();
      if (notBefore !== null && notBefore[c]! > now) {
        core.wakeAt(d, notBefore[c]!);
        return;
      }
      const need = core.kvNeedTokens[c]!;
      if (state.kvReservedTokens[d]! + need > cap) return;
      q.pop();
      const dur = core.decodeS[c]!;
      const end = now + dur;
      this.#trace.decodeStartS[c] = now;
      this.#trace.decodeEndS[c] = end;
      if (state.decodeRunning[d] === 0) this.#decodeBusySinceS[d] = now;
      state.decodeRunning[d]!++;
      state.decodeRunningEndSumS[d]! += end;
      if (--state.decodeCommitted[d]! === 0) {
        state.decodeCommittedS[d] = 0;
        state.kvCommittedTokens[d] = 0;
      } else {
        state.decodeCommittedS[d]! -= dur;
        state.kvCommittedTokens[d]! -= need;
      }
      this.#kvChange(d, need);
      usage.decodeSeqS[d]! += dur;
      core.events.push(end, EV_DECODE, c);
    }
  }

  close(): void {
    for (let d = 0; d < this.#core.insts.length; d++) this.#kvChange(d, 0);
  }
}
