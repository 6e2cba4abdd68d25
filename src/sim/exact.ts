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
import * as common from './engineCommon.ts';
import { MinHeap } from './heap.ts';
import type { EngineRun } from './types.ts';

// Module-local copies: imported bindings are property getters under the tsx/esbuild loader,
// too slow to read on every event.
const EV_DECODE_END = common.EV_DECODE_END;
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
 * Exact mode (docs/concepts.md "Simulator"), the planner's model and nothing else:
 * one prefill at a time per instance lasting cost.prefillS; transfer cost.transferS; at most
 * decodeSlots decodes per instance, each lasting cost.decodeS and holding input + output KV
 * tokens for [start, end). Intervals are half-open, so resources freed at t are reusable at t.
 *
 * Time advances in steps: all events at time t are applied (decode ends, prefill ends,
 * transfer ends, reveals — in that fixed order, then by call number), the policy places the
 * calls revealed at t in one batch, then every instance touched at t starts what it can.
 * Queues are strict priority order (lower first, ties by call number) with no overtaking:
 * a decode whose KV does not fit waits for room and blocks the calls behind it on that
 * instance, so big calls cannot starve; it never deadlocks because every call fits its
 * instance's capacity alone (checked at assignment) and running decodes always end.
 */
export function runExact(
  cost: CostModel,
  wl: CompiledWorkload,
  makeScheduler: (view: PolicyView) => Scheduler,
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
  const prefillDurS = new Float64Array(N);
  const decodeDurS = new Float64Array(N);
  const kvNeed = new Float64Array(N);
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
  const prefillCurrent = new Int32Array(I).fill(-1);
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
  const decodeBusySinceS = new Float64Array(I);
  const kvLastChangeS = new Float64Array(I);

  let now = 0;
  let placedInStep = 0;
  const sink = {
    assign(c: number, p: number, d: number, prio: number, stage?: StageOptions): void {
      checkAssignment(cost, wl, c, p, d, prefillOf[c]!);
      prefillOf[c] = p;
      decodeOf[c] = d;
      priority[c] = prio;
      if (stage !== undefined) {
        // Only replay-like policies pay for these arrays.
        decodePriority ??= priority.slice();
        notBeforeP ??= new Float64Array(N);
        notBeforeD ??= new Float64Array(N);
        decodePriority[c] = stage.decodePriority ?? prio;
        notBeforeP[c] = stage.prefillNotBeforeS ?? 0;
        notBeforeD[c] = stage.decodeNotBeforeS ?? 0;
      } else if (decodePriority !== null) decodePriority[c] = prio;
      const pi = insts[p]!;
      const di = insts[d]!;
      const input = wl.inputTokens[c]!;
      const output = wl.outputTokens[c]!;
      const pre = cost.prefillS(pi, input);
      const dec = cost.decodeS(di, input, output);
      prefillDurS[c] = pre;
      decodeDurS[c] = dec;
      kvNeed[c] = cost.kvTokens(input, output);
      state.prefillQueued[p]!++;
      state.prefillQueuedS[p]! += pre;
      state.decodeCommitted[d]!++;
      state.decodeCommittedS[d]! += dec;
      state.kvCommittedTokens[d]! += kvNeed[c]!;
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

  const kvChange = (d: number, delta: number) => {
    usage.kvTokenS[d]! += state.kvReservedTokens[d]! * (now - kvLastChangeS[d]!);
    kvLastChangeS[d] = now;
    state.kvReservedTokens[d]! += delta;
    if (state.kvReservedTokens[d]! > usage.kvPeakTokens[d]!)
      usage.kvPeakTokens[d] = state.kvReservedTokens[d]!;
  };

  const startPrefill = (p: number) => {
    if (prefillCurrent[p] !== -1) return;
    const q = prefillQueue[p]!;
    if (q.size === 0) return;
    const c = q.peekId();
    if (notBeforeP !== null && notBeforeP[c]! > now) {
      wakeAt(p, notBeforeP[c]!);
      return;
    }
    q.pop();
    const dur = prefillDurS[c]!;
    prefillStartS[c] = now;
    prefillEndS[c] = now + dur;
    prefillCurrent[p] = c;
    state.prefillBusyUntilS[p] = now + dur;
    if (--state.prefillQueued[p]! === 0) state.prefillQueuedS[p] = 0;
    else state.prefillQueuedS[p]! -= dur;
    usage.prefillBusyS[p]! += dur;
    events.push(now + dur, EV_PREFILL_END, c);
  };

  const startDecodes = (d: number) => {
    const q = decodeQueue[d]!;
    const slots = insts[d]!.decodeSlots;
    const cap = insts[d]!.kvCapacityTokens;
    while (q.size > 0 && state.decodeRunning[d]! < slots) {
      const c = q.peekId();
      if (notBeforeD !== null && notBeforeD[c]! > now) {
        wakeAt(d, notBeforeD[c]!);
        return;
      }
      if (state.kvReservedTokens[d]! + kvNeed[c]! > cap) return;
      q.pop();
      const dur = decodeDurS[c]!;
      const end = now + dur;
      decodeStartS[c] = now;
      decodeEndS[c] = end;
      if (state.decodeRunning[d] === 0) decodeBusySinceS[d] = now;
      state.decodeRunning[d]!++;
      state.decodeRunningEndSumS[d]! += end;
      if (--state.decodeCommitted[d]! === 0) {
        state.decodeCommittedS[d] = 0;
        state.kvCommittedTokens[d] = 0;
      } else {
        state.decodeCommittedS[d]! -= dur;
        state.kvCommittedTokens[d]! -= kvNeed[c]!;
      }
      kvChange(d, kvNeed[c]!);
      usage.decodeSeqS[d]! += dur;
      events.push(end, EV_DECODE_END, c);
    }
  };

  const wakeAt = (i: number, t: number) => {
    if (pendingWakeS[i] === t) return;
    pendingWakeS[i] = t;
    events.push(t, EV_WAKE, i);
  };

  const batch: number[] = [];
  let processed = 0;
  while (events.size > 0) {
    now = events.peekKey();
    view.setNow(now);
    // One time step: drain every event at `now` (including zero-length transfers and reveals
    // with tool_s = 0 that the step itself creates), then place, then dispatch.
    while (events.size > 0 && events.peekKey() === now) {
      if (batch.length > 0) batch.length = 0;
      while (events.size > 0 && events.peekKey() === now) {
        const kind = events.peekTie();
        const c = events.pop();
        processed++;
        switch (kind) {
          case EV_DECODE_END: {
            const d = decodeOf[c]!;
            state.decodeRunning[d]!--;
            state.decodeRunningEndSumS[d]! -= now;
            if (state.decodeRunning[d] === 0) {
              state.decodeRunningEndSumS[d] = 0;
              usage.decodeBusyS[d]! += now - decodeBusySinceS[d]!;
            }
            kvChange(d, -kvNeed[c]!);
            markDirty(d);
            stage[c] = DONE;
            serviceS[c] = prefillDurS[c]! + decodeDurS[c]!;
            scheduler.callDone?.(c);
            releaseChildren(wl, c, now, depsLeft, readyS, events);
            const w = wl.workflowOf[c]!;
            if (--callsLeft[w]! === 0) {
              finishS[w] = now;
              scheduler.workflowDone?.(w);
            }
            break;
          }
          case EV_PREFILL_END: {
            const p = prefillOf[c]!;
            prefillCurrent[p] = -1;
            markDirty(p);
            const t = now + cost.transferS(insts[p]!, insts[decodeOf[c]!]!, wl.inputTokens[c]!);
            transferEndS[c] = t;
            events.push(t, EV_TRANSFER_END, c);
            break;
          }
          case EV_TRANSFER_END: {
            const d = decodeOf[c]!;
            decodeQueue[d]!.push((decodePriority ?? priority)[c]!, 0, c);
            markDirty(d);
            break;
          }
          case EV_ARRIVAL:
            pushRoots(wl, c, depsLeft, readyS, events);
            if (++nextArrival < arrivals.length) {
              const w = arrivals[nextArrival]!;
              events.push(wl.arrivalS[w]!, EV_ARRIVAL, w);
            }
            break;
          case EV_READY:
            stage[c] = REVEALED;
            batch.push(c);
            break;
          default: // EV_WAKE: c is an instance index
            pendingWakeS[c] = Number.NaN;
            markDirty(c);
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
        if (insts[i]!.canPrefill) startPrefill(i);
        if (insts[i]!.canDecode) startDecodes(i);
      }
      dirtyCount = 0;
    }
  }
  for (let d = 0; d < I; d++) kvChange(d, 0);
  for (let c = 0; c < N; c++) {
    if (stage[c] !== DONE) throw new Error(`simulation ended with call ${c} unfinished (engine bug)`);
  }
  return { trace, finishS, usage, events: processed };
}
