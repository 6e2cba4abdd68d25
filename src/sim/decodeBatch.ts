import type { Profile } from '../schema/profile.ts';

/**
 * Realistic-mode continuous batching on one decode instance, advanced in chunks of steps.
 *
 * Every step generates one token for each sequence in the batch and lasts
 * decode_step_ms(B, C) with B the batch size and C its total context (input + tokens generated
 * so far), the docs/concepts.md formula with the real B and C. Between two events the batch does not
 * change, so C grows by B per step and n steps take, exactly,
 *   T(n) = n · step(B, C₀) + d2 · B · n(n − 1)/2   (ms),
 * so a chunk of n steps is one event, not n. A chunk ends when its first sequence finishes;
 * when a new sequence can join mid-chunk the chunk is cut at the next step boundary (joins
 * happen at step boundaries, as in vLLM/Sarathi iteration-level scheduling).
 */
export class DecodeBatch {
  /** Calls in the batch and their remaining output tokens / current context. */
  readonly calls: Int32Array;
  readonly remaining: Int32Array;
  readonly context: Float64Array;
  /** Each sequence's decode batch cap (StageOptions.decodeBatchCap, else the slots). */
  readonly caps: Int32Array;
  size = 0;
  /** The largest batch the sequences present allow: min(slots, their caps). */
  sizeLimit: number;
  /** Projected peak KV of the batch: Σ (input + output) — what admission checks. */
  projectedKvTokens = 0;
  active = false;
  chunkStartS = 0;
  chunkSteps = 0;
  chunkEndS = 0;

  constructor(
    readonly profile: Profile,
    readonly slots: number,
  ) {
    this.calls = new Int32Array(slots);
    this.remaining = new Int32Array(slots);
    this.context = new Float64Array(slots);
    this.caps = new Int32Array(slots);
    this.sizeLimit = slots;
  }

  contextTokens(): number {
    let c = 0;
    for (let i = 0; i < this.size; i++) c += this.context[i]!;
    return c;
  }

  add(call: number, inputTokens: number, outputTokens: number, cap: number = this.slots): void {
    const i = this.size++;
    this.calls[i] = call;
    this.remaining[i] = outputTokens;
    this.context[i] = inputTokens;
    this.caps[i] = cap;
    if (cap < this.sizeLimit) this.sizeLimit = cap;
    this.projectedKvTokens += inputTokens + outputTokens;
  }

  /** Duration in seconds of n steps from the current state. */
  durationS(n: number): number {
    const d = this.profile.decode;
    const b = this.size;
    const first = d.d0_ms + d.d1_ms_per_seq * b + d.d2_ms_per_token * this.contextTokens();
    return (n * first + (d.d2_ms_per_token * b * n * (n - 1)) / 2) / 1000;
  }

  /** Starts a chunk that runs until the first sequence finishes. */
  startChunk(nowS: number): void {
    let n = Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < this.size; i++) if (this.remaining[i]! < n) n = this.remaining[i]!;
    this.active = true;
    this.chunkStartS = nowS;
    this.chunkSteps = n;
    this.chunkEndS = nowS + this.durationS(n);
  }

  /**
   * Starts a chunk of one step lasting `durationS` (at least durationS(1)): a chunked-prefill
   * iteration, whose step also runs prompt chunks.
   */
  startStep(nowS: number, durationS: number): void {
    this.active = true;
    this.chunkStartS = nowS;
    this.chunkSteps = 1;
    this.chunkEndS = nowS + durationS;
  }

  /**
   * Cuts the running chunk at the first step boundary after `nowS` so a new sequence can join
   * there. Returns false when that boundary is the chunk's own end (nothing to change).
   */
  cutAfter(nowS: number): boolean {
    const elapsed = nowS - this.chunkStartS;
    // Largest k with T(k) ≤ elapsed, found by bisection (T is increasing); then end at k + 1.
    let lo = 0;
    let hi = this.chunkSteps;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.durationS(mid) <= elapsed) lo = mid;
      else hi = mid - 1;
    }
    const steps = lo + 1;
    if (steps >= this.chunkSteps) return false;
    this.chunkSteps = steps;
    this.chunkEndS = this.chunkStartS + this.durationS(steps);
    return true;
  }

  /**
   * Applies the chunk's steps. Calls `done` for each finished sequence (in batch order) and
   * removes it, keeping the others in their order. Returns the KV tokens in use before and
   * after the chunk, for the occupancy integral.
   */
  finishChunk(done: (call: number) => void): { kvBefore: number; kvAfter: number } {
    const n = this.chunkSteps;
    const kvBefore = this.contextTokens();
    let kept = 0;
    let limit = this.slots;
    for (let i = 0; i < this.size; i++) {
      const r = this.remaining[i]! - n;
      if (r <= 0) {
        this.projectedKvTokens -= this.context[i]! + this.remaining[i]!;
        done(this.calls[i]!);
        continue;
      }
      this.calls[kept] = this.calls[i]!;
      this.remaining[kept] = r;
      this.context[kept] = this.context[i]! + n;
      this.caps[kept] = this.caps[i]!;
      if (this.caps[i]! < limit) limit = this.caps[i]!;
      kept++;
    }
    const kvAfter = kvBefore + n * this.size; // this.size is still the size during the chunk
    this.size = kept;
    this.sizeLimit = limit;
    this.active = false;
    if (kept === 0) this.projectedKvTokens = 0;
    return { kvBefore, kvAfter };
  }
}
