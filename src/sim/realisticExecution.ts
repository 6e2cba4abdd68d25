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
 * - Timeshared mixed instances (cluster `mixed_timeshare: true`): one GPU runs either a prefill
 *   batch or decode steps. A prefill batch that could start cuts the running decode chunk at its
 *   next step boundary and starts there; decode resumes when the batch ends, unless another
 *   batch can start (prefill first, as vLLM schedules without chunked prefill).
 * - Chunked prefill (`mixed_timeshare: "chunked"`, as Sarathi-Serve and vLLM schedule): while
 *   prompt tokens wait, the GPU runs iterations. Each takes the decode batch's next step
 *   (sequences join at its start) and fills the rest of the token budget, max(1, budget − B),
 *   with prompt chunks: calls already started first, then the queue in priority order. An
 *   iteration lasts max(d0, p0) + d1·B + d2·C + Σ (p1·cᵢ + p2·((Pᵢ + cᵢ)² − Pᵢ²)) for chunks
 *   cᵢ of prompts Pᵢ tokens in (attention per prompt, so a prompt's chunks add up to its whole
 *   p1·T + p2·T²); a call's prefill ends with its last chunk. With no prompt waiting the GPU
 *   decodes in chunks of steps, as elsewhere.
 * - Otherwise a mixed instance's prefill lane and decode batch run side by side.
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
  /** 1 for a timeshared instance that chunks prompts (ResolvedInstance.chunkedPrefill). */
  readonly #chunked: Uint8Array;
  /** Chunked prefill: calls whose prompt is partly done, per instance, in the order they began. */
  readonly #prefilling: number[][];
  /** Chunked prefill: prompt tokens done per call, and its chunk in the running iteration. */
  readonly #prefilledTokens: Float64Array;
  readonly #chunkTokens: Float64Array;
  /** Decode's part of d's running chunked-prefill iteration (its step), for the busy times. */
  readonly #iterationDecodeS: Float64Array;
  readonly #batches: Array<DecodeBatch | null>;
  readonly #finishCall: (c: number) => void;

  constructor(core: EngineCore, options: { prefillTokenBudget: number }) {
    this.#core = core;
    this.#trace = core.trace;
    this.#prefillTokenBudget = options.prefillTokenBudget;
    this.#prefillBatch = core.insts.map(() => []);
    this.#prefillBusy = new Uint8Array(core.insts.length);
    this.#timeshare = Uint8Array.from(core.insts, (i) => (i.timeshare ? 1 : 0));
    this.#chunked = Uint8Array.from(core.insts, (i) => (i.chunkedPrefill ? 1 : 0));
    this.#prefilling = core.insts.map(() => []);
    const chunking = this.#chunked.includes(1);
    this.#prefilledTokens = new Float64Array(chunking ? core.wl.calls : 0);
    this.#chunkTokens = new Float64Array(chunking ? core.wl.calls : 0);
    this.#iterationDecodeS = new Float64Array(core.insts.length);
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
    const b = this.#batches[d]!;
    // A chunked-prefill iteration's step (its GPU busy with prompts too) ends with it, in prefillEnd.
    if (
      !b.active ||
      b.chunkEndS !== this.#core.nowS ||
      (this.#chunked[d] === 1 && this.#prefillBusy[d] === 1)
    )
      return;
    this.#finishDecodeChunk(d, b, this.#core.nowS - b.chunkStartS);
  }

  /** Applies the running chunk of d's batch; `busyS` of its span was decode's (the rest prefill's). */
  #finishDecodeChunk(d: number, b: DecodeBatch, busyS: number): void {
    const core = this.#core;
    const usage = core.usage;
    const size = b.size;
    const span = core.nowS - b.chunkStartS;
    const kv = b.finishChunk(this.#finishCall);
    usage.decodeSeqS[d]! += size * span;
    usage.decodeBusyS[d]! += busyS;
    usage.kvTokenS[d]! += ((kv.kvBefore + kv.kvAfter) / 2) * span;
    if (kv.kvAfter > usage.kvPeakTokens[d]!) usage.kvPeakTokens[d] = kv.kvAfter;
    core.markDirty(d);
  }

  /** Instance p's prefill batch ends: every call in it starts its transfer. */
  prefillEnd(p: number): void {
    const core = this.#core;
    this.#prefillBusy[p] = 0;
    core.markDirty(p);
    const batch = this.#prefillBatch[p]!;
    if (this.#chunked[p] === 1) {
      this.#endIteration(p, batch);
      return;
    }
    for (const c of batch) this.#startTransfer(p, c);
    batch.length = 0;
  }

  /** Call c's prompt is done on p: its KV moves to its decode instance. */
  #startTransfer(p: number, c: number): void {
    const core = this.#core;
    const trace = this.#trace;
    const insts = core.insts;
    const t =
      core.nowS + core.cost.transferS(insts[p]!, insts[trace.decodeInstance[c]!]!, core.wl.inputTokens[c]!);
    trace.transferEndS[c] = t;
    core.events.push(t, EV_TRANSFER_END, c);
  }

  /** A chunked-prefill iteration ends: its decode step, then its prompt chunks. */
  #endIteration(p: number, batch: number[]): void {
    const core = this.#core;
    const trace = this.#trace;
    const b = this.#batches[p]!;
    // Decode runs during an iteration only as its step (startDecode waits while prompts run).
    if (b.active) this.#finishDecodeChunk(p, b, this.#iterationDecodeS[p]!);
    const inputTokens = core.wl.inputTokens;
    const done = this.#prefilledTokens;
    let finished = 0;
    for (const c of batch) {
      done[c]! += this.#chunkTokens[c]!;
      if (done[c]! < inputTokens[c]!) continue;
      finished++;
      trace.prefillEndS[c] = core.nowS;
      core.serviceS[c] = core.nowS - trace.prefillStartS[c]!;
      this.#startTransfer(p, c);
    }
    if (finished > 0) {
      const prefilling = this.#prefilling[p]!;
      let kept = 0;
      for (const c of prefilling) if (done[c]! < inputTokens[c]!) prefilling[kept++] = c;
      prefilling.length = kept;
    }
    batch.length = 0;
  }

  startPrefill(p: number): void {
    if (this.#prefillBusy[p] === 1) return;
    if (this.#chunked[p] === 1) {
      this.#startIteration(p);
      return;
    }
    const core = this.#core;
    const now = core.nowS;
    const q = core.prefillQueue[p]!;
    const batch = this.#prefillBatch[p]!;
    const notBefore = core.prefillNotBeforeS;
    const inputTokens = core.wl.inputTokens;
    const decoding = this.#batches[p];
    if (this.#timeshare[p] === 1 && decoding?.active) {
      // The GPU is decoding: a batch that could start now waits for the next step boundary.
      if (q.size > 0 && !this.#prefillHeld(q.peekId()) && decoding.cutAfter(now))
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
      if (this.#prefillHeld(c)) {
        if (batch.length === 0) core.wakeAt(p, notBefore![c]!);
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
      this.#leftPrefillQueue(p, c);
    }
    this.#prefillBusy[p] = 1;
    state.prefillBusyUntilS[p] = now + dur;
    usage.prefillBusyS[p]! += dur;
    core.events.push(now + dur, EV_PREFILL_END, p);
  }

  /** Call c left p's prefill queue for a batch or an iteration: the policies' view of the queue. */
  #leftPrefillQueue(p: number, c: number): void {
    const state = this.#core.state;
    if (--state.prefillQueued[p]! === 0) state.prefillQueuedS[p] = 0;
    else state.prefillQueuedS[p]! -= this.#core.prefillS[c]!;
  }

  /** Whether call c's prefill is held past now (a plan's not-before time). */
  #prefillHeld(c: number): boolean {
    const notBefore = this.#core.prefillNotBeforeS;
    return notBefore !== null && notBefore[c]! > this.#core.nowS;
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
    this.#admitDecodes(d, b);
    if (b.size > 0) {
      b.startChunk(core.nowS);
      core.events.push(b.chunkEndS, EV_DECODE, d);
    }
  }

  /** Sequences at the head of d's decode queue join its (idle) batch while they may. */
  #admitDecodes(d: number, b: DecodeBatch): void {
    const core = this.#core;
    const q = core.decodeQueue[d]!;
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
  }

  /**
   * Chunked prefill on timeshared instance p: when prompt tokens wait and the GPU is between
   * steps, start an iteration of the decode batch's next step and prompt chunks.
   */
  #startIteration(p: number): void {
    const core = this.#core;
    const now = core.nowS;
    const q = core.prefillQueue[p]!;
    const prefilling = this.#prefilling[p]!;
    const notBefore = core.prefillNotBeforeS;
    if (prefilling.length === 0) {
      if (q.size === 0) return;
      if (this.#prefillHeld(q.peekId())) {
        core.wakeAt(p, notBefore![q.peekId()]!);
        return;
      }
    }
    const b = this.#batches[p]!;
    if (b.active) {
      // Mid-chunk of decode steps: the iteration starts at the next step boundary.
      if (b.cutAfter(now)) core.events.push(b.chunkEndS, EV_DECODE, p);
      return;
    }
    this.#admitDecodes(p, b);
    const { state, usage } = core;
    const trace = this.#trace;
    const inputTokens = core.wl.inputTokens;
    const caps = core.prefillBatchTokenCap;
    const batch = this.#prefillBatch[p]!;
    const done = this.#prefilledTokens;
    const chunk = this.#chunkTokens;
    // The token budget counts the decode step's tokens too, as vLLM's max_num_batched_tokens.
    let limit = Math.max(1, this.#prefillTokenBudget - b.size);
    let tokens = 0;
    let squareTokens = 0;
    /** Adds a chunk of c's prompt unless the iteration is full; false when it is. */
    const take = (c: number): boolean => {
      const capped = Math.min(limit, caps?.[c] || limit);
      if (tokens >= capped) return false;
      limit = capped;
      const before = done[c]!;
      const n = Math.min(inputTokens[c]! - before, limit - tokens);
      chunk[c] = n;
      tokens += n;
      squareTokens += (before + n) * (before + n) - before * before;
      batch.push(c);
      return true;
    };
    for (const c of prefilling) if (!take(c)) break;
    while (tokens < limit && q.size > 0) {
      const c = q.peekId();
      if (this.#prefillHeld(c)) {
        core.wakeAt(p, notBefore![c]!);
        break;
      }
      done[c] = 0;
      if (!take(c)) break;
      q.pop();
      prefilling.push(c);
      trace.prefillStartS[c] = now;
      core.serviceS[c] = 0;
      this.#leftPrefillQueue(p, c);
    }
    const { prefill, decode } = core.insts[p]!.profile;
    const promptS = (prefill.p1_ms_per_token * tokens + prefill.p2_ms_per_token2 * squareTokens) / 1000;
    let durationS: number;
    if (b.size > 0) {
      // One fixed cost per iteration: the larger of a step's and a prefill batch's.
      const stepS = b.durationS(1);
      durationS = stepS + Math.max(0, prefill.p0_ms - decode.d0_ms) / 1000 + promptS;
      b.startStep(now, durationS);
      this.#iterationDecodeS[p] = stepS;
    } else {
      durationS = prefill.p0_ms / 1000 + promptS;
      this.#iterationDecodeS[p] = 0;
    }
    this.#prefillBusy[p] = 1;
    state.prefillBusyUntilS[p] = now + durationS;
    usage.prefillBusyS[p]! += durationS - this.#iterationDecodeS[p]!;
    core.events.push(now + durationS, EV_PREFILL_END, p);
  }

  close(): void {}
}
