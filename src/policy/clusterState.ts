/**
 * What a policy may know about the cluster right now, per instance (indexed by
 * ResolvedInstance.index). The engine keeps these up to date; policies only read them.
 *
 * Durations here are the engine's own estimates: in exact mode they are the exact durations
 * (cost.prefillS / cost.decodeS), in realistic mode the same formulas used as predictions,
 * because a real scheduler can only predict batch effects.
 */
/** An instance's prefill queue as ClusterState reads it (the engine's CallQueue). */
export interface KeyedQueue {
  splitSums(key: number, weightS: Float64Array, weight: Float64Array | null, out: Float64Array): void;
}

/** A call's place in a prefill queue, as ClusterState.prefillSplitAt reads it (reused per call). */
export interface PrefillSplit {
  /** When the lane has worked off its running batch and the queued calls keyed ≤ the key. */
  freeS: number;
  /** Σ weight over the queued calls keyed ≤ the key: the ones the call waits behind. */
  aheadWeight: number;
  /** Σ weight over the queued calls keyed above the key: the ones the call overtakes. */
  overtakenWeight: number;
}

export class ClusterState {
  /** When the prefill lane frees up: the end of the running prefill, or ≤ now when idle. */
  readonly prefillBusyUntilS: Float64Array;
  /** Calls waiting in the prefill queue, and the sum of their predicted prefill durations. */
  readonly prefillQueued: Int32Array;
  readonly prefillQueuedS: Float64Array;
  /** Decodes running now, and the sum of their (predicted) end times. */
  readonly decodeRunning: Int32Array;
  readonly decodeRunningEndSumS: Float64Array;
  /** Calls assigned to decode here that have not started decoding (anywhere before that stage). */
  readonly decodeCommitted: Int32Array;
  readonly decodeCommittedS: Float64Array;
  /** KV tokens held by running decodes, and promised to committed ones. */
  readonly kvReservedTokens: Float64Array;
  readonly kvCommittedTokens: Float64Array;

  /** The engine's prefill queues and each call's predicted prefill (null: no queue detail). */
  private queues: readonly KeyedQueue[] | null = null;
  private queuedPrefillS: Float64Array | null = null;
  private readonly sums = new Float64Array(3);
  private readonly split: PrefillSplit = { freeS: 0, aheadWeight: 0, overtakenWeight: 0 };

  constructor(instances: number) {
    this.prefillBusyUntilS = new Float64Array(instances);
    this.prefillQueued = new Int32Array(instances);
    this.prefillQueuedS = new Float64Array(instances);
    this.decodeRunning = new Int32Array(instances);
    this.decodeRunningEndSumS = new Float64Array(instances);
    this.decodeCommitted = new Int32Array(instances);
    this.decodeCommittedS = new Float64Array(instances);
    this.kvReservedTokens = new Float64Array(instances);
    this.kvCommittedTokens = new Float64Array(instances);
  }

  /** Predicted time the prefill lane has worked off everything already queued. */
  prefillFreeAtS(p: number, nowS: number): number {
    const busy = this.prefillBusyUntilS[p]!;
    return Math.max(busy, nowS) + this.prefillQueuedS[p]!;
  }

  /** Engine only: the prefill queues behind prefillQueuedS, for prefillSplitAt. */
  attachPrefillQueues(queues: readonly KeyedQueue[], prefillS: Float64Array): void {
    this.queues = queues;
    this.queuedPrefillS = prefillS;
  }

  /**
   * Where a call queued on p's prefill with key `key` would stand, as the queue stands now:
   * what it waits behind and what it overtakes (PrefillSplit; `weight` per call, null for 0s).
   * Without queue detail (a state filled by hand), it waits behind all queued work, like
   * prefillFreeAtS, and the weights are 0. The returned object is reused by the next call.
   */
  prefillSplitAt(p: number, nowS: number, key: number, weight: Float64Array | null): PrefillSplit {
    const busy = Math.max(this.prefillBusyUntilS[p]!, nowS);
    const split = this.split;
    if (this.queues === null || this.prefillQueued[p] === 0) {
      split.freeS = busy + this.prefillQueuedS[p]!;
      split.aheadWeight = 0;
      split.overtakenWeight = 0;
      return split;
    }
    const sums = this.sums;
    this.queues[p]!.splitSums(key, this.queuedPrefillS!, weight, sums);
    split.freeS = busy + sums[0]!;
    split.aheadWeight = sums[1]!;
    split.overtakenWeight = sums[2]!;
    return split;
  }

  /** Predicted remaining decode work (running and committed), seconds of one slot. */
  decodeBacklogS(d: number, nowS: number): number {
    const running = this.decodeRunningEndSumS[d]! - this.decodeRunning[d]! * nowS;
    return Math.max(running, 0) + this.decodeCommittedS[d]!;
  }
}

/** Per-instance usage the engine accumulates for utilization metrics. */
export interface InstanceUsage {
  /** Seconds the prefill lane was busy. */
  prefillBusyS: Float64Array;
  /** Slot-seconds of decoding (exact) or sequence-seconds in a batch (realistic). */
  decodeSeqS: Float64Array;
  /** Seconds with at least one decode running. */
  decodeBusyS: Float64Array;
  /** Integral of KV tokens in use over time, token-seconds. */
  kvTokenS: Float64Array;
  /** Largest KV tokens in use at any instant. */
  kvPeakTokens: Float64Array;
}

export function newUsage(instances: number): InstanceUsage {
  return {
    prefillBusyS: new Float64Array(instances),
    decodeSeqS: new Float64Array(instances),
    decodeBusyS: new Float64Array(instances),
    kvTokenS: new Float64Array(instances),
    kvPeakTokens: new Float64Array(instances),
  };
}
