/**
 * Resource timelines for the oracle's schedule generation: the earliest start ≥ `earliestS`
 * at which a stage fits, allowing insertion into gaps between stages already placed.
 * Exact float comparisons: intervals are half-open, [start, end).
 */

/** One prefill at a time. */
export class PrefillLane {
  readonly starts: number[] = [];
  readonly ends: number[] = [];

  earliestFit(earliestS: number, durationS: number): number {
    // Candidate starts: the requested time and the end of every placed stage after it.
    let best = this.fits(earliestS, durationS) ? earliestS : Number.POSITIVE_INFINITY;
    for (const e of this.ends) {
      if (e > earliestS && e < best && this.fits(e, durationS)) best = e;
    }
    return best;
  }

  private fits(t: number, durationS: number): boolean {
    const end = t + durationS;
    for (let k = 0; k < this.starts.length; k++) {
      if (t < this.ends[k]! && this.starts[k]! < end) return false;
    }
    return true;
  }

  push(startS: number, endS: number): void {
    this.starts.push(startS);
    this.ends.push(endS);
  }

  pop(): void {
    this.starts.pop();
    this.ends.pop();
  }
}

/** Decode slots and KV tokens, both cumulative. */
export class DecodePool {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly kv: number[] = [];

  constructor(
    readonly slots: number,
    readonly kvCapacity: number,
  ) {}

  earliestFit(earliestS: number, durationS: number, kvTokens: number): number {
    let best = this.fits(earliestS, durationS, kvTokens) ? earliestS : Number.POSITIVE_INFINITY;
    for (const e of this.ends) {
      if (e > earliestS && e < best && this.fits(e, durationS, kvTokens)) best = e;
    }
    return best;
  }

  /** Usage only rises at a start, so checking t and each start inside (t, t + d) suffices. */
  private fits(t: number, durationS: number, kvTokens: number): boolean {
    const end = t + durationS;
    if (!this.fitsAt(t, kvTokens)) return false;
    for (const s of this.starts) {
      if (s > t && s < end && !this.fitsAt(s, kvTokens)) return false;
    }
    return true;
  }

  private fitsAt(tau: number, kvTokens: number): boolean {
    let count = 1;
    let kv = kvTokens;
    for (let k = 0; k < this.starts.length; k++) {
      if (this.starts[k]! <= tau && tau < this.ends[k]!) {
        count++;
        kv += this.kv[k]!;
      }
    }
    return count <= this.slots && kv <= this.kvCapacity;
  }

  push(startS: number, endS: number, kvTokens: number): void {
    this.starts.push(startS);
    this.ends.push(endS);
    this.kv.push(kvTokens);
  }

  pop(): void {
    this.starts.pop();
    this.ends.pop();
    this.kv.pop();
  }
}
