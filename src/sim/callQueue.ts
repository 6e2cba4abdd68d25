/**
 * An instance's queue of calls: a binary min-heap ordered by (key, call number), like MinHeap,
 * that also knows where each call sits so a waiting call's key can change in place (a policy
 * re-keying its queued calls when its estimates move). A call waits in at most one queue at a
 * time (prefill, then decode), so every queue of a run shares one position table.
 */
export class CallQueue {
  private keys: Float64Array;
  private ids: Int32Array;
  private n = 0;

  /** `position[c]` = c's slot in the queue holding it, -1 when it waits in none (shared). */
  constructor(
    private readonly position: Int32Array,
    capacity = 16,
  ) {
    const c = Math.max(4, capacity);
    this.keys = new Float64Array(c);
    this.ids = new Int32Array(c);
  }

  /** A position table for `calls` calls, none queued. */
  static positions(calls: number): Int32Array {
    return new Int32Array(calls).fill(-1);
  }

  get size(): number {
    return this.n;
  }

  /** Id of the minimum entry; -1 when empty. */
  peekId(): number {
    return this.n > 0 ? this.ids[0]! : -1;
  }

  /** Whether call c waits in this queue. */
  has(c: number): boolean {
    const i = this.position[c]!;
    return i >= 0 && i < this.n && this.ids[i] === c;
  }

  /**
   * One pass over the waiting calls, split at `key`: out[0] = Σ weightS[c] and out[1] = Σ
   * weight[c] over the calls keyed ≤ `key` (those a call queued with that key waits behind),
   * out[2] = Σ weight[c] over the calls keyed above it (those it overtakes). `weight` null: out[1]
   * and out[2] are 0. Entries above `key` can sit anywhere below the root, so every entry is read.
   */
  splitSums(key: number, weightS: Float64Array, weight: Float64Array | null, out: Float64Array): void {
    const keys = this.keys;
    const ids = this.ids;
    let aheadS = 0;
    let ahead = 0;
    let above = 0;
    for (let i = 0; i < this.n; i++) {
      const c = ids[i]!;
      if (keys[i]! <= key) {
        aheadS += weightS[c]!;
        if (weight !== null) ahead += weight[c]!;
      } else if (weight !== null) above += weight[c]!;
    }
    out[0] = aheadS;
    out[1] = ahead;
    out[2] = above;
  }

  push(key: number, c: number): void {
    if (this.n === this.keys.length) this.grow();
    this.up(this.n++, key, c);
  }

  /** Removes the minimum entry and returns its id (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const top = this.ids[0]!;
    this.position[top] = -1;
    const last = --this.n;
    if (last > 0) this.down(0, this.keys[last]!, this.ids[last]!);
    return top;
  }

  /** Gives waiting call c a new key (c must be in this queue: see `has`). */
  update(c: number, key: number): void {
    const i = this.position[c]!;
    const old = this.keys[i]!;
    if (key < old) this.up(i, key, c);
    else if (key > old) this.down(i, key, c);
  }

  /** Places (key, c) at slot i or above it. */
  private up(i: number, key: number, c: number): void {
    const keys = this.keys;
    const ids = this.ids;
    const pos = this.position;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && ids[parent]! < c)) break;
      keys[i] = pk;
      ids[i] = ids[parent]!;
      pos[ids[i]!] = i;
      i = parent;
    }
    keys[i] = key;
    ids[i] = c;
    pos[c] = i;
  }

  /** Places (key, c) at slot i or below it. */
  private down(i: number, key: number, c: number): void {
    const keys = this.keys;
    const ids = this.ids;
    const pos = this.position;
    const n = this.n;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (
        right < n &&
        (keys[right]! < keys[child]! || (keys[right] === keys[child] && ids[right]! < ids[child]!))
      )
        child = right;
      const ck = keys[child]!;
      if (key < ck || (key === ck && c < ids[child]!)) break;
      keys[i] = ck;
      ids[i] = ids[child]!;
      pos[ids[i]!] = i;
      i = child;
    }
    keys[i] = key;
    ids[i] = c;
    pos[c] = i;
  }

  private grow(): void {
    const c = this.keys.length * 2;
    const keys = new Float64Array(c);
    const ids = new Int32Array(c);
    keys.set(this.keys);
    ids.set(this.ids);
    this.keys = keys;
    this.ids = ids;
  }
}
