import { ClusterState, type InstanceUsage, newUsage } from '../policy/clusterState.ts';
import type { Scheduler } from '../policy/policy.ts';
import {
  PolicyView,
  DONE as STAGE_DONE,
  REVEALED as STAGE_REVEALED,
  type StageOptions,
} from '../policy/view.ts';
import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';
import { CallQueue } from './callQueue.ts';
import * as events from './events.ts';
import { MinHeap } from './heap.ts';
import type { CallTrace, EngineRun } from './types.ts';

// Module-local copies: imported bindings are property getters under the tsx/esbuild loader,
// too slow to read on every event.
const EV_DECODE = events.EV_DECODE;
const EV_PREFILL_END = events.EV_PREFILL_END;
const EV_TRANSFER_END = events.EV_TRANSFER_END;
const EV_ARRIVAL = events.EV_ARRIVAL;
const EV_READY = events.EV_READY;
const DONE = STAGE_DONE;
const REVEALED = STAGE_REVEALED;

/**
 * How a mode executes work on the instances: the one part in which exact and realistic mode
 * differ. The engine owns time, events, the DAG, queues and the policy; a model owns what
 * happens once a call is at the head of an instance's queue.
 */
export interface ExecutionModel {
  /** An EV_DECODE event: the model chooses what its id means (a call, or an instance). */
  decodeEvent(id: number): void;
  /** An EV_PREFILL_END event, likewise. */
  prefillEnd(id: number): void;
  /** Instance p can prefill and something may have changed on it: start what it can. */
  startPrefill(p: number): void;
  /** Instance d can decode and something may have changed on it: start what it can. */
  startDecode(d: number): void;
  /** The last event has been applied: close open accounting intervals. */
  close(): void;
}

/**
 * The state of one run that both execution models share. Fields are public for the models'
 * hot paths; only the engine and its models touch them.
 */
export class EngineCore {
  readonly cost: CostModel;
  readonly wl: CompiledWorkload;
  readonly insts: readonly ResolvedInstance[];
  readonly trace: CallTrace;
  readonly finishS: Float64Array;
  readonly usage: InstanceUsage;
  readonly state: ClusterState;
  readonly stage: Uint8Array;
  /** Work done so far per call (prefill then decode time), as policies see it. */
  readonly serviceS: Float64Array;
  /** Exact-model durations of each call on its assigned instances (realistic: predictions). */
  readonly prefillS: Float64Array;
  readonly decodeS: Float64Array;
  readonly kvNeedTokens: Float64Array;
  readonly priority: Float64Array;
  /** Allocated only when a policy stages calls (replay-like policies pay for these). */
  decodePriority: Float64Array | null = null;
  prefillNotBeforeS: Float64Array | null = null;
  decodeNotBeforeS: Float64Array | null = null;
  /** Per-call batch caps (StageOptions.decodeBatchCap, prefillBatchTokenCap; 0 = none). */
  decodeBatchCap: Int32Array | null = null;
  prefillBatchTokenCap: Int32Array | null = null;
  readonly events = new MinHeap(1024);
  readonly prefillQueue: CallQueue[];
  readonly decodeQueue: CallQueue[];
  readonly depsLeft: Int32Array;
  readonly callsLeft: Int32Array;
  readonly pendingWakeS: Float64Array;
  readonly dirty: Uint8Array;
  readonly dirtyList: Int32Array;
  dirtyCount = 0;
  nowS = 0;
  scheduler: Scheduler | null = null;

  constructor(cost: CostModel, wl: CompiledWorkload) {
    const N = wl.calls;
    const I = cost.instances.length;
    this.cost = cost;
    this.wl = wl;
    this.insts = cost.instances;
    this.trace = events.newTrace(N);
    this.finishS = new Float64Array(wl.workflows).fill(Number.NaN);
    this.usage = newUsage(I);
    this.state = new ClusterState(I);
    this.stage = new Uint8Array(N);
    this.serviceS = new Float64Array(N);
    this.prefillS = new Float64Array(N);
    this.decodeS = new Float64Array(N);
    this.kvNeedTokens = new Float64Array(N);
    this.priority = new Float64Array(N);
    const queued = CallQueue.positions(N);
    this.prefillQueue = this.insts.map(() => new CallQueue(queued));
    this.decodeQueue = this.insts.map(() => new CallQueue(queued));
    this.state.attachPrefillQueues(this.prefillQueue, this.prefillS);
    this.depsLeft = new Int32Array(N);
    for (let c = 0; c < N; c++) this.depsLeft[c] = wl.depStart[c + 1]! - wl.depStart[c]!;
    this.callsLeft = new Int32Array(wl.workflows);
    for (let w = 0; w < wl.workflows; w++) this.callsLeft[w] = wl.firstCall[w + 1]! - wl.firstCall[w]!;
    this.pendingWakeS = new Float64Array(I).fill(Number.NaN);
    this.dirty = new Uint8Array(I);
    this.dirtyList = new Int32Array(I);
  }

  markDirty(i: number): void {
    if (this.dirty[i] === 0) {
      this.dirty[i] = 1;
      this.dirtyList[this.dirtyCount++] = i;
    }
  }

  /** Instance i has a call held back until t (a plan's not-before time): look again then. */
  wakeAt(i: number, t: number): void {
    if (this.pendingWakeS[i] === t) return;
    this.pendingWakeS[i] = t;
    this.events.push(t, events.EV_WAKE, i);
  }

  /** Call c's last decode token is out at nowS: release its children, maybe end its workflow. */
  finishCall(c: number): void {
    const now = this.nowS;
    this.stage[c] = DONE;
    this.scheduler!.callDone?.(c);
    events.releaseChildren(this.wl, c, now, this.depsLeft, this.trace.readyS, this.events);
    const w = this.wl.workflowOf[c]!;
    if (--this.callsLeft[w]! === 0) {
      this.finishS[w] = now;
      this.scheduler!.workflowDone?.(w);
    }
  }
}

/**
 * The discrete-event loop shared by both modes. Time advances in steps: all events at time t
 * are applied (decode ends, prefill ends, transfer ends, reveals — in that fixed order, then
 * by id), the policy places the calls revealed at t in one batch, then every instance touched
 * at t starts what it can. Queues are strict priority order (lower first, ties by call
 * number) with no overtaking.
 */
export function runEngine(
  cost: CostModel,
  wl: CompiledWorkload,
  makeScheduler: (view: PolicyView) => Scheduler,
  makeModel: (core: EngineCore) => ExecutionModel,
  /** Called now and then with the fraction of workflows arrived so far (a long run shows it is alive). */
  onProgress?: (fraction: number) => void,
): EngineRun {
  const core = new EngineCore(cost, wl);
  const model = makeModel(core);
  const N = wl.calls;
  const insts = core.insts;
  const trace = core.trace;
  const { readyS, decodeEndS } = trace;
  const prefillOf = trace.prefillInstance;
  const decodeOf = trace.decodeInstance;
  const { state, stage, priority, prefillQueue, decodeQueue, dirty, dirtyList } = core;
  const eventHeap = core.events;

  let placedInStep = 0;
  const sink = {
    assign(c: number, p: number, d: number, prio: number, staged?: StageOptions): void {
      events.checkAssignment(cost, wl, c, p, d, prefillOf[c]!);
      prefillOf[c] = p;
      decodeOf[c] = d;
      priority[c] = prio;
      if (staged !== undefined) {
        core.decodePriority ??= priority.slice();
        core.prefillNotBeforeS ??= new Float64Array(N);
        core.decodeNotBeforeS ??= new Float64Array(N);
        core.decodePriority[c] = staged.decodePriority ?? prio;
        core.prefillNotBeforeS[c] = staged.prefillNotBeforeS ?? 0;
        core.decodeNotBeforeS[c] = staged.decodeNotBeforeS ?? 0;
        if (staged.decodeBatchCap !== undefined) {
          core.decodeBatchCap ??= new Int32Array(N);
          core.decodeBatchCap[c] = checkedCap(c, 'decode batch cap', staged.decodeBatchCap);
        }
        if (staged.prefillBatchTokenCap !== undefined) {
          core.prefillBatchTokenCap ??= new Int32Array(N);
          core.prefillBatchTokenCap[c] = checkedCap(
            c,
            'prefill batch token cap',
            staged.prefillBatchTokenCap,
          );
        }
      } else if (core.decodePriority !== null) core.decodePriority[c] = prio;
      const input = wl.inputTokens[c]!;
      const output = wl.outputTokens[c]!;
      const pre = cost.prefillS(insts[p]!, input);
      const dec = cost.decodeS(insts[d]!, input, output);
      const kv = cost.kvTokens(input, output);
      core.prefillS[c] = pre;
      core.decodeS[c] = dec;
      core.kvNeedTokens[c] = kv;
      state.prefillQueued[p]!++;
      state.prefillQueuedS[p]! += pre;
      state.decodeCommitted[d]!++;
      state.decodeCommittedS[d]! += dec;
      state.kvCommittedTokens[d]! += kv;
      prefillQueue[p]!.push(prio, c);
      core.markDirty(p);
      placedInStep++;
    },
    rekey(c: number, prio: number, decodePrio?: number): void {
      const p = prefillOf[c]!;
      if (p < 0) throw new Error(`policy re-keyed call ${c} before placing it`);
      priority[c] = prio;
      const decodeKey = decodePrio ?? prio;
      if (core.decodePriority !== null) core.decodePriority[c] = decodeKey;
      if (prefillQueue[p]!.has(c)) {
        prefillQueue[p]!.update(c, prio);
        core.markDirty(p);
        return;
      }
      const d = decodeOf[c]!;
      if (decodeQueue[d]!.has(c)) {
        decodeQueue[d]!.update(c, decodeKey);
        core.markDirty(d);
      }
      // Otherwise c is prefilling, in transfer (its decode key is read when the KV arrives),
      // decoding or done: nothing waits to be re-ordered.
    },
  };
  const view = new PolicyView(cost, wl, state, { stage, readyS, decodeEndS, serviceS: core.serviceS }, sink);
  const scheduler = makeScheduler(view);
  core.scheduler = scheduler;

  const arrivals = events.arrivalOrder(wl);
  let nextArrival = 0;
  if (arrivals.length > 0) eventHeap.push(wl.arrivalS[arrivals[0]!]!, EV_ARRIVAL, arrivals[0]!);

  const batch: number[] = [];
  let processed = 0;
  let steps = 0;
  while (eventHeap.size > 0) {
    if (onProgress !== undefined && (++steps & 4095) === 0) onProgress(nextArrival / arrivals.length);
    const now = eventHeap.peekKey();
    core.nowS = now;
    view.setNow(now);
    // One time step: drain every event at `now` (including zero-length transfers and reveals
    // with tool_s = 0 that the step itself creates), then place, then dispatch.
    while (eventHeap.size > 0 && eventHeap.peekKey() === now) {
      if (batch.length > 0) batch.length = 0;
      while (eventHeap.size > 0 && eventHeap.peekKey() === now) {
        const kind = eventHeap.peekTie();
        const id = eventHeap.pop();
        processed++;
        switch (kind) {
          case EV_DECODE:
            model.decodeEvent(id);
            break;
          case EV_PREFILL_END:
            model.prefillEnd(id);
            break;
          case EV_TRANSFER_END: {
            const d = decodeOf[id]!;
            decodeQueue[d]!.push((core.decodePriority ?? priority)[id]!, id);
            core.markDirty(d);
            break;
          }
          case EV_ARRIVAL:
            events.pushRoots(wl, id, core.depsLeft, readyS, eventHeap);
            if (++nextArrival < arrivals.length) {
              const w = arrivals[nextArrival]!;
              eventHeap.push(wl.arrivalS[w]!, EV_ARRIVAL, w);
            }
            break;
          case EV_READY:
            stage[id] = REVEALED;
            batch.push(id);
            break;
          default: // EV_WAKE: id is an instance index
            core.pendingWakeS[id] = Number.NaN;
            core.markDirty(id);
        }
      }
      if (batch.length > 0) {
        placedInStep = 0;
        scheduler.place(batch);
        if (placedInStep !== batch.length) {
          throw new Error(`policy placed ${placedInStep} of ${batch.length} ready calls at t=${now}`);
        }
      }
      for (let k = 0; k < core.dirtyCount; k++) {
        const i = dirtyList[k]!;
        dirty[i] = 0;
        if (insts[i]!.canPrefill) model.startPrefill(i);
        if (insts[i]!.canDecode) model.startDecode(i);
      }
      core.dirtyCount = 0;
    }
  }
  model.close();
  for (let c = 0; c < N; c++) {
    if (stage[c] !== DONE) throw new Error(`simulation ended with call ${c} unfinished (engine bug)`);
  }
  return { trace, finishS: core.finishS, usage: core.usage, events: processed };
}

/** A per-call batch cap from a policy (StageOptions), refused unless a positive integer. */
function checkedCap(call: number, what: string, cap: number): number {
  if (!Number.isInteger(cap) || cap < 1)
    throw new Error(`policy gave call ${call} ${what} ${cap}: need an integer ≥ 1`);
  return cap;
}
