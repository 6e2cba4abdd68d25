import type { CostModel } from '../profile/costModel.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';
import type { MinHeap } from './heap.ts';
import type { CallTrace } from './types.ts';

/**
 * Event kinds, in the order events at the same instant are applied: resources are freed
 * (decode, prefill end) before they are claimed, KV arrives before reveals are placed,
 * and wake-ups (a plan's not-before time) come last. Ties within a kind: by id.
 *
 * EV_DECODE is decode progress; the execution model says what its id is (exact mode: a call
 * whose decode ends; realistic mode: an instance whose chunk of batched steps ends).
 */
export const EV_DECODE = 0;
/** A prefill ends (exact mode: id = call; realistic mode: id = instance, a whole batch). */
export const EV_PREFILL_END = 1;
export const EV_TRANSFER_END = 2;
/** A workflow arrives (id = workflow): its root calls are scheduled to become ready. */
export const EV_ARRIVAL = 3;
export const EV_READY = 4;
/** An instance looks at its queues again (id = instance): a staged call's not-before time. */
export const EV_WAKE = 5;

/**
 * Workflows in arrival order (ties by workload order). Arrivals are fed to the event heap one
 * at a time, so the heap holds only what is in flight, not every future root call.
 */
export function arrivalOrder(wl: CompiledWorkload): Int32Array {
  const order = new Int32Array(wl.workflows);
  for (let w = 0; w < order.length; w++) order[w] = w;
  let sorted = true;
  for (let w = 1; w < wl.workflows && sorted; w++) sorted = wl.arrivalS[w - 1]! <= wl.arrivalS[w]!;
  if (!sorted) order.sort((a, b) => wl.arrivalS[a]! - wl.arrivalS[b]! || a - b);
  return order;
}

/** Pushes the ready events of workflow w's root calls. */
export function pushRoots(
  wl: CompiledWorkload,
  w: number,
  depsLeft: Int32Array,
  readyS: Float64Array,
  events: MinHeap,
): void {
  for (let c = wl.firstCall[w]!; c < wl.firstCall[w + 1]!; c++) {
    if (depsLeft[c] === 0) {
      readyS[c] = wl.arrivalS[w]! + wl.toolS[c]!;
      events.push(readyS[c]!, EV_READY, c);
    }
  }
}

/**
 * Call c has finished at `nowS`: each child whose last dependency it was becomes ready after
 * its tool delay (events run in time order, so the last dependency to end is this one).
 */
export function releaseChildren(
  wl: CompiledWorkload,
  c: number,
  nowS: number,
  depsLeft: Int32Array,
  readyS: Float64Array,
  events: MinHeap,
): void {
  for (let k = wl.childStart[c]!; k < wl.childStart[c + 1]!; k++) {
    const child = wl.childIndex[k]!;
    if (--depsLeft[child]! === 0) {
      readyS[child] = nowS + wl.toolS[child]!;
      events.push(readyS[child]!, EV_READY, child);
    }
  }
}

export function newTrace(calls: number): CallTrace {
  const nan = () => new Float64Array(calls).fill(Number.NaN);
  return {
    readyS: nan(),
    prefillStartS: nan(),
    prefillEndS: nan(),
    transferEndS: nan(),
    decodeStartS: nan(),
    decodeEndS: nan(),
    prefillInstance: new Int32Array(calls).fill(-1),
    decodeInstance: new Int32Array(calls).fill(-1),
  };
}

/** A policy's decision must be legal; a violation is a bug in the policy (plain Error). */
export function checkAssignment(
  cost: CostModel,
  wl: CompiledWorkload,
  c: number,
  p: number,
  d: number,
  previous: number,
): void {
  if (previous !== -1) throw new Error(`policy assigned call ${c} twice`);
  const pi = cost.instances[p];
  const di = cost.instances[d];
  const model = wl.models[wl.modelOf[wl.workflowOf[c]!]!]!;
  if (!pi?.canPrefill || pi.model !== model) {
    throw new Error(`policy sent call ${c} to prefill on instance ${p}, which cannot prefill ${model}`);
  }
  if (!di?.canDecode || di.model !== model) {
    throw new Error(`policy sent call ${c} to decode on instance ${d}, which cannot decode ${model}`);
  }
  const need = cost.kvTokens(wl.inputTokens[c]!, wl.outputTokens[c]!);
  if (need > di.kvCapacityTokens) {
    throw new Error(
      `policy sent call ${c} (${need} KV tokens) to ${di.id}, which holds ${di.kvCapacityTokens}`,
    );
  }
}
