import { ClusterState, newUsage } from '../policy/clusterState.ts';
import type { Scheduler } from '../policy/policy.ts';
import {
  PolicyView,
  DONE as STAGE_DONE,
  REVEALED as STAGE_REVEALED,
  type StageOptions,
} from '../policy/view.ts';
import type { CostModel } from '../profile/costModel.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';
import { DecodeBatch } from './decodeBatch.ts';
import * as common from './engineCommon.ts';
import { MinHeap } from './heap.ts';
import type { EngineRun } from './types.ts';

// Module-local copies: imported bindings are property getters under the tsx/esbuild loader,
// too slow to read on every event.
const EV_DECODE_CHUNK = common.EV_DECODE_CHUNK;
const EV_PREFILL_END = common.EV_PREFILL_END;
const EV_TRANSFER_END = common.EV_TRANSFER_END;
const EV_ARRIVAL = common.EV_ARRIVAL;
const EV_READY = common.EV_READY;
const EV_WAKE = common.EV_WAKE;
const checkAssignment = common.checkAssignment;
const newTrace = common.newTrace;
const arrivalOrder = common.arrivalOrder;
const pushRoots = common.pushRoots;
const releaseChildren = common.releaseChildren;
const DONE = STAGE_DONE;
const REVEALED = STAGE_REVEALED;

/**
 * Realistic mode: what a serving engine does rather than what the planner assumes.
 * - Prefill: when the lane is free it takes queued calls in priority order while their prompt
 *   tokens fit the token budget (always at least one call, even one larger than the budget),
 *   and runs them as one batch lasting prefill_ms(total tokens) (cost.prefillS of the sum).
 * - Transfer: cost.transferS per call, as in exact mode.
 * - Decode: continuous batching (DecodeBatch) of at most decodeSlots sequences (the engine's
 *   max batch), step time from the real batch and context, KV growing by one token per
 *   sequence per step.
 * - KV: admission blocking by projected peak — a sequence joins only if Σ (input + output)
 *   over the batch plus its own fits the capacity. So KV in use never exceeds capacity, no
 *   sequence is ever preempted, and nothing is lost or run twice. Cannot deadlock: a call
 *   alone always fits its instance (checked at assignment) and a running batch always ends.
 *   (Output lengths are known to the simulator; a real engine reserving by a max-tokens
 *   limit behaves the same way.)
 * Queues are strict priority order, no overtaking, as in exact mode. The policy's view of
 * load (ClusterState) holds exact-model predictions, since real batch effects are not
 * knowable in advance.
 */
export function runRealistic(
  cost: CostModel,
  wl: CompiledWorkload,
  makeScheduler: (view: PolicyView) => Scheduler,
  options: { prefillTokenBudget: number },
): EngineRun {
  const N = wl.calls;
  const I = cost.instances.length;
  const insts = cost.instances;
  const trace = newTrace(N);
  const { readyS, prefillStartS, prefillEndS, transferEndS, decodeStartS, decodeEndS } = trace;
  const prefillOf = trace.prefillInstance;
  const decodeOf = trace.decodeInstance;
  const finishS = new Float64Array(wl.workflows).fill(Number.NaN);
  const usage = newUsage(I);
  const state = new ClusterState(I);
  const stage = new Uint8Array(N);
  const serviceS = new Float64Array(N);
  const predictedPrefillS = new Float64Array(N);
  const predictedDecodeS = new Float64Array(N);
  const priority = new Float64Array(N);
  let decodePriority: Float64Array | null = null;
  let notBeforeP: Float64Array | null = null;
  let notBeforeD: Float64Array | null = null;
  const depsLeft = new Int32Array(N);
  for (let c = 0; c < N; c++) depsLeft[c] = wl.depStart[c + 1]! - wl.depStart[c]!;
  const callsLeft = new Int32Array(wl.workflows);
  for (let w = 0; w < wl.workflows; w++) callsLeft[w] = wl.firstCall[w + 1]! - wl.firstCall[w]!;

  const events = new MinHeap(1024);
  const prefillQueue = insts.map(() => new MinHeap(16));
  const decodeQueue = insts.map(() => new MinHeap(16));
  const prefillBatch: number[][] = insts.map(() => []);
  const prefillBusy = new Uint8Array(I);
  const batches = insts.map((i) => (i.canDecode ? new DecodeBatch(i.profile, i.decodeSlots) : null));
  const pendingWakeS = new Float64Array(I).fill(Number.NaN);
  const dirty = new Uint8Array(I);
  const dirtyList = new Int32Array(I);
  let dirtyCount = 0;
  const markDirty = (i: number) => {
    if (dirty[i] === 0) {
      dirty[i] = 1;
      dirtyList[dirtyCount++] = i;
    }
  };
  const wakeAt = (i: number, t: number) => {
    if (pendingWakeS[i] === t) return;
    pendingWakeS[i] = t;
    events.push(t, EV_WAKE, i);
  };

  let now = 0;
  let placedInStep = 0;
  const sink = {
    assign(c: number, p: number, d: number, prio: number, st?: StageOptions): void {
      checkAssignment(cost, wl, c, p, d, prefillOf[c]!);
      prefillOf[c] = p;
      decodeOf[c] = d;
      priority[c] = prio;
      if (st !== undefined) {
        decodePriority ??= priority.slice();
        notBeforeP ??= new Float64Array(N);
        notBeforeD ??= new Float64Array(N);
        decodePriority[c] = st.decodePriority ?? prio;
        notBeforeP[c] = st.prefillNotBeforeS ?? 0;
        notBeforeD[c] = st.decodeNotBeforeS ?? 0;
      } else if (decodePriority !== null) decodePriority[c] = prio;
      const input = wl.inputTokens[c]!;
      const output = wl.outputTokens[c]!;
      predictedPrefillS[c] = cost.prefillS(insts[p]!, input);
      predictedDecodeS[c] = cost.decodeS(insts[d]!, input, output);
      state.prefillQueued[p]!++;
      state.prefillQueuedS[p]! += predictedPrefillS[c]!;
      state.decodeCommitted[d]!++;
      state.decodeCommittedS[d]! += predictedDecodeS[c]!;
      state.kvCommittedTokens[d]! += cost.kvTokens(input, output);
      prefillQueue[p]!.push(prio, 0, c);
      markDirty(p);
      placedInStep++;
    },
  };
  const view = new PolicyView(cost, wl, state, { stage, readyS, decodeEndS, serviceS }, sink);
  const scheduler = makeScheduler(view);
  const arrivals = arrivalOrder(wl);
  let nextArrival = 0;
  if (arrivals.length > 0) events.push(wl.arrivalS[arrivals[0]!]!, EV_ARRIVAL, arrivals[0]!);

  const startPrefillBatch = (p: number) => {
    if (prefillBusy[p] === 1) return;
    const q = prefillQueue[p]!;
    const batch = prefillBatch[p]!;
    let tokens = 0;
    while (q.size > 0) {
      const c = q.peekId();
      if (notBeforeP !== null && notBeforeP[c]! > now) {
        if (batch.length === 0) wakeAt(p, notBeforeP[c]!);
        break;
      }
      const t = wl.inputTokens[c]!;
      if (batch.length > 0 && tokens + t > options.prefillTokenBudget) break;
      q.pop();
      batch.push(c);
      tokens += t;
    }
    if (batch.length === 0) return;
    const dur = cost.prefillS(insts[p]!, tokens);
    for (const c of batch) {
      prefillStartS[c] = now;
      prefillEndS[c] = now + dur;
      serviceS[c] = dur;
      if (--state.prefillQueued[p]! === 0) state.prefillQueuedS[p] = 0;
      else state.prefillQueuedS[p]! -= predictedPrefillS[c]!;
    }
    prefillBusy[p] = 1;
    state.prefillBusyUntilS[p] = now + dur;
    usage.prefillBusyS[p]! += dur;
    events.push(now + dur, EV_PREFILL_END, p);
  };

  const admissible = (d: number, b: DecodeBatch, c: number): boolean => {
    if (notBeforeD !== null && notBeforeD[c]! > now) {
      wakeAt(d, notBeforeD[c]!);
      return false;
    }
    return (
      b.size < b.slots &&
      b.projectedKvTokens + wl.inputTokens[c]! + wl.outputTokens[c]! <= insts[d]!.kvCapacityTokens
    );
  };

  const dispatchDecode = (d: number) => {
    const b = batches[d]!;
    const q = decodeQueue[d]!;
    if (b.active) {
      // Mid-chunk: cut at the next step boundary if the head of the queue could join there.
      if (q.size > 0 && admissible(d, b, q.peekId()) && b.cutAfter(now)) {
        events.push(b.chunkEndS, EV_DECODE_CHUNK, d);
      }
      return;
    }
    while (q.size > 0 && admissible(d, b, q.peekId())) {
      const c = q.pop();
      const input = wl.inputTokens[c]!;
      const output = wl.outputTokens[c]!;
      b.add(c, input, output);
      decodeStartS[c] = now;
      state.decodeRunning[d]!++;
      state.decodeRunningEndSumS[d]! += now + predictedDecodeS[c]!;
      state.kvReservedTokens[d]! += input + output;
      if (--state.decodeCommitted[d]! === 0) {
        state.decodeCommittedS[d] = 0;
        state.kvCommittedTokens[d] = 0;
      } else {
        state.decodeCommittedS[d]! -= predictedDecodeS[c]!;
        state.kvCommittedTokens[d]! -= input + output;
      }
    }
    if (b.size > 0) {
      b.startChunk(now);
      events.push(b.chunkEndS, EV_DECODE_CHUNK, d);
    }
  };

  const finishCall = (c: number) => {
    const d = decodeOf[c]!;
    decodeEndS[c] = now;
    state.decodeRunning[d]!--;
    state.decodeRunningEndSumS[d]! -= decodeStartS[c]! + predictedDecodeS[c]!;
    if (state.decodeRunning[d] === 0) state.decodeRunningEndSumS[d] = 0;
    state.kvReservedTokens[d]! -= wl.inputTokens[c]! + wl.outputTokens[c]!;
    stage[c] = DONE;
    serviceS[c]! += now - decodeStartS[c]!;
    scheduler.callDone?.(c);
    releaseChildren(wl, c, now, depsLeft, readyS, events);
    const w = wl.workflowOf[c]!;
    if (--callsLeft[w]! === 0) {
      finishS[w] = now;
      scheduler.workflowDone?.(w);
    }
  };

  const batch: number[] = [];
  let processed = 0;
  while (events.size > 0) {
    now = events.peekKey();
    view.setNow(now);
    while (events.size > 0 && events.peekKey() === now) {
      if (batch.length > 0) batch.length = 0;
      while (events.size > 0 && events.peekKey() === now) {
        const kind = events.peekTie();
        const id = events.pop();
        processed++;
        if (kind === EV_DECODE_CHUNK) {
          const b = batches[id]!;
          if (!b.active || b.chunkEndS !== now) continue; // superseded by a cut
          const size = b.size;
          const span = now - b.chunkStartS;
          const kv = b.finishChunk(finishCall);
          usage.decodeSeqS[id]! += size * span;
          usage.decodeBusyS[id]! += span;
          usage.kvTokenS[id]! += ((kv.kvBefore + kv.kvAfter) / 2) * span;
          if (kv.kvAfter > usage.kvPeakTokens[id]!) usage.kvPeakTokens[id] = kv.kvAfter;
          markDirty(id);
        } else if (kind === EV_PREFILL_END) {
          prefillBusy[id] = 0;
          markDirty(id);
          for (const c of prefillBatch[id]!) {
            const t = now + cost.transferS(insts[id]!, insts[decodeOf[c]!]!, wl.inputTokens[c]!);
            transferEndS[c] = t;
            events.push(t, EV_TRANSFER_END, c);
          }
          prefillBatch[id]!.length = 0;
        } else if (kind === EV_TRANSFER_END) {
          const d = decodeOf[id]!;
          decodeQueue[d]!.push((decodePriority ?? priority)[id]!, 0, id);
          markDirty(d);
        } else if (kind === EV_ARRIVAL) {
          pushRoots(wl, id, depsLeft, readyS, events);
          if (++nextArrival < arrivals.length) {
            const w = arrivals[nextArrival]!;
            events.push(wl.arrivalS[w]!, EV_ARRIVAL, w);
          }
        } else if (kind === EV_READY) {
          stage[id] = REVEALED;
          batch.push(id);
        } else {
          pendingWakeS[id] = Number.NaN;
          markDirty(id);
        }
      }
      if (batch.length > 0) {
        placedInStep = 0;
        scheduler.place(batch);
        if (placedInStep !== batch.length) {
          throw new Error(`policy placed ${placedInStep} of ${batch.length} ready calls at t=${now}`);
        }
      }
      for (let k = 0; k < dirtyCount; k++) {
        const i = dirtyList[k]!;
        dirty[i] = 0;
        if (insts[i]!.canPrefill) startPrefillBatch(i);
        if (insts[i]!.canDecode) dispatchDecode(i);
      }
      dirtyCount = 0;
    }
  }
  for (let c = 0; c < N; c++) {
    if (stage[c] !== DONE) throw new Error(`simulation ended with call ${c} unfinished (engine bug)`);
  }
  return { trace, finishS, usage, events: processed };
}
