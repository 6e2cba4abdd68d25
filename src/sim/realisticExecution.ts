import { DecodeBatch } from './decodeBatch.ts';
import type { EngineCore, ExecutionModel } from './engine.ts';
import * as events from './events.ts';
import type { CallTrace } from './types.ts';

const EV_DECODE = events.EV_DECODE;
const EV_PREFILL_END = events.EV_PREFILL_END;
const EV_TRANSFER_END = events.EV_TRANSFER_END;

/**
 * Realistic mode: what a serving engine does rather than what the planner assumes.
 * - Prefill: when the lane is free it takes queued calls in priority order while their prompt
 *   tokens fit the token budget, or a call's own smaller cap (StageOptions.prefillBatchTokenCap)
 *   when one in the batch has one (always at least one call, even one larger than the budget),
 *   and runs them as one batch lasting p0 + p1·Σ Tᵢ + p2·Σ Tᵢ² (cost.batchedPrefillS): attention
 *   is per prompt, so a batch costs less than one prompt of its total length.
 * - Transfer: cost.transferS per call, as in exact mode.
 * - Decode: continuous batching (DecodeBatch) of at most decodeSlots sequences (the engine's
 *   max batch; fewer while a call capped it, StageOptions.decodeBatchCap), step time from the
 *   real batch and context, KV growing by one token per sequence per step.
 * - Timeshared mixed instances (cluster `mixed_timeshare`): one GPU runs either a prefill batch
 *   or decode steps. A prefill batch that could start cuts the running decode chunk at its next
 *   step boundary and starts there; decode resumes when the batch ends, unless another batch
 *   can start (prefill first, as vLLM schedules without chunked prefill). Otherwise a mixed
 *   instance's prefill lane and decode batch run side by side.
 * - KV: admission blocking by projected peak — a sequence joins only if Σ (input + output)
 *   over the batch plus its own fits the capacity. So KV in use never exceeds capacity, no
 *   sequence is ever preempted, and nothing is lost or run twice. Cannot deadlock: a call
 *   alone always fits its instance (checked at assignment) and a running batch always ends.
 *   (Output lengths are known to the simulator; a real engine reserving by a max-tokens
 *   limit behaves the same way.)
 * The policy's view of load (ClusterState) holds exact-model predictions (core.prefillS,
 * core.decodeS), since real batch effects are not knowable in advance.
 */
export class RealisticExecution implements ExecutionModel {
  readonly #core: EngineCore;
  readonly #trace: CallTrace;
  readonly #prefillTokenBudget: number;
  /** The calls of the running prefill batch per instance (empty when the lane is idle). */
  readonly #prefillBatch: number[][];
  readonly #prefillBusy: Uint8Array;
  /** 1 for an instance whose prefill and decode share one GPU (ResolvedInstance.timeshare). */
  readonly #timeshare: Uint8Array;
  readonly #batches: Array<DecodeBatch | null>;
  readonly #finishCall: (c: number) => void;

  constructor(core: EngineCore, options: { prefillTokenBudget: number }) {
    this.#core = core;
    this.#trace = core.trace;
    this.#prefillTokenBudget = options.prefillTokenBudget;
    this.#prefillBatch = core.insts.map(() => []);
    this.#prefillBusy = new Uint8Array(core.insts.length);
    this.#timeshare = Uint8Array.from(core.insts, (i) => (i.timeshare ? 1 : 0));
    this.#batches = core.insts.map((i) => (i.canDecode ? new DecodeBatch(i.profile, i.decodeSlots) : null));
    this.#finishCall = (c) => this.#decodeDone(c);
  }

  /** Call c left its decode batch at nowS. */
  #decodeDone(c: number): void {
    const core = this.#core;
    const { state, nowS } = core;
    const trace = this.#trace;
    const d = trace.decodeInstance[c]!;
    trace.decodeEndS[c] = nowS;
    state.decodeRunning[d]!--;
    state.decodeRunningEndSumS[d]! -= trace.decodeStartS[c]! + core.decodeS[c]!;
    if (state.decodeRunning[d] === 0) state.decodeRunningEndSumS[d] = 0;
    state.kvReservedTokens[d]! -= core.kvNeedTokens[c]!;
    core.serviceS[c]! += nowS - trace.decodeStartS[c]!;
    core.finishCall(c);
  }

  /** The end of instance d's chunk of decode steps (unless a cut superseded it). */
  decodeEvent(d: number): void {
    const core = this.#core;
    const b = this.#batches[d]!;
    const now = core.nowS;
    if (!b.active || b.chunkEndS !== now) return;
    const usage = core.usage;
    const size = b.size;
    const span = now - b.chunkStartS;
    const kv = b.finishChunk(this.#finishCall);
    usage.decodeSeqS[d]! += size * span;
    usage.decodeBusyS[d]! += span;
    usage.kvTokenS[d]! += ((kv.kvBefore + kv.kvAfter) / 2) * span;
    if (kv.kvAfter > usage.kvPeakTokens[d]!) usage.kvPeakTokens[d] = kv.kvAfter;
    core.markDirty(d);
  }

  /** Instance p's prefill batch ends: every call in it starts its transfer. */
  prefillEnd(p: number): void {
    const core = this.#core;
    const trace = this.#trace;
    const insts = core.insts;
    this.#prefillBusy[p] = 0;
    core.markDirty(p);
    const batch = this.#prefillBatch[p]!;
    for (const c of batch) {
      const t =
        core.nowS + core.cost.transferS(insts[p]!, insts[trace.decodeInstance[c]!]!, core.wl.inputTokens[c]!);
      trace.transferEndS[c] = t;
      core.events.push(t, EV_TRANSFER_END, c);
    }
    batch.length = 0;
  }

  startPrefill(p: number): void {
    if (this.#prefillBusy[p] === 1) return;
    const core = this.#core;
    const now = core.nowS;
    const q = core.prefillQueue[p]!;
    const batch = this.#prefillBatch[p]!;
    const notBefore = core.prefillNotBeforeS;
    const inputTokens = core.wl.inputTokens;
    const decoding = this.#batches[p];
    if (this.#timeshare[p] === 1 && decoding?.active) {
      // The GPU is decoding: a batch that could start now waits for the next step boundary.
      if (q.size > 0 && !(notBefore !== null && notBefore[q.peekId()]! > now) && decoding.cutAfter(now))
        core.events.push(decoding.chunkEndS, EV_DECODE, p);
      return;
    }
    const caps = core.prefillBatchTokenCap;
    let tokens = 0;
    let squareTokens = 0;
    // The batch's token limit: the budget, or less when a call in it asked for less.
    let limit = this.#prefillTokenBudget;
    while (q.size > 0) {
      const c = q.peekId();
      if (notBefore !== null && notBefore[c]! > now) {
        if (batch.length === 0) core.wakeAt(p, notBefore[c]!);
        break;
      }
      const t = inputTokens[c]!;
      const cap = caps?.[c] || limit;
      if (batch.length > 0 && tokens + t > Math.min(limit, cap)) break;
      if (cap < limit) limit = cap;
      q.pop();
      batch.push(c);
      tokens += t;
      squareTokens += t * t;
    }
    if (batch.length === 0) return;
    const { state, usage } = core;
    const trace = this.#trace;
    const dur = core.cost.batchedPrefillS(core.insts[p]!, tokens, squareTokens);
    for (const c of batch) {
      trace.prefillStartS[c] = now;
      trace.prefillEndS[c] = now + dur;
      core.serviceS[c] = dur;
      if (--state.prefillQueued[p]! === 0) state.prefillQueuedS[p] = 0;
      else state.prefillQueuedS[p]! -= core.prefillS[c]!;
    }
    this.#prefillBusy[p] = 1;
    state.prefillBusyUntilS[p] = now + dur;
    usage.prefillBusyS[p]! += dur;
    core.events.push(now + dur, EV_PREFILL_END, p);
  }

  /** The largest batch call c shares: its StageOptions.decodeBatchCap, else the slots. */
  #decodeCap(c: number, b: DecodeBatch): number {
    return this.#core.decodeBatchCap?.[c] || b.slots;
  }

  /** Whether call c, at the head of d's queue, may join d's batch now. */
  #admissible(d: number, b: DecodeBatch, c: number): boolean {
    const core = this.#core;
    const notBefore = core.decodeNotBeforeS;
    if (notBefore !== null && notBefore[c]! > core.nowS) {
      core.wakeAt(d, notBefore[c]!);
      return false;
    }
    return (
      b.size < b.sizeLimit &&
      b.size < this.#decodeCap(c, b) &&
      b.projectedKvTokens + core.kvNeedTokens[c]! <= core.insts[d]!.kvCapacityTokens
    );
  }

  startDecode(d: number): void {
    // A timeshared instance decodes only while its GPU runs no prefill batch.
    if (this.#timeshare[d] === 1 && this.#prefillBusy[d] === 1) return;
    const core = this.#core;
    const b = this.#batches[d]!;
    const q = core.decodeQueue[d]!;
    if (b.active) {
      // Mid-chunk: cut at the next step boundary if the head of the queue could join there.
      if (q.size > 0 && this.#admissible(d, b, q.peekId()) && b.cutAfter(core.nowS)) {
        core.events.push(b.chunkEndS, EV_DECODE, d);
      }
      return;
    }
    const { state, nowS: now } = core;
    const wl = core.wl;
    while (q.size > 0 && this.#admissible(d, b, q.peekId())) {
      const c = q.pop();
      const need = core.kvNeedTokens[c]!;
      b.add(c, wl.inputTokens[c]!, wl.outputTokens[c]!, this.#decodeCap(c, b));
      this.#trace.decodeStartS[c] = now;
      state.decodeRunning[d]!++;
      state.decodeRunningEndSumS[d]! += now + core.decodeS[c]!;
      state.kvReservedTokens[d]! += need;
      if (--state.decodeCommitted[d]! === 0) {
        state.decodeCommittedS[d] = 0;
        state.kvCommittedTokens[d] = 0;
      } else {
        state.decodeCommittedS[d]! -= core.decodeS[c]!;
        state.kvCommittedTokens[d]! -= need;
      }
    }
    if (b.size > 0) {
      b.startChunk(now);
      core.events.push(b.chunkEndS, EV_DECODE, d);
    }
  }

  close(): void {}
}
