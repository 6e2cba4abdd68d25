/**
 * Binary min-heaps on typed arrays, for the simulator's hot paths (no per-entry objects, no
 * array shift). Entries are ordered by (key, tie, id): every tie is broken by integers the
 * simulation itself derives, so the order never depends on insertion history or object identity.
 */
export class MinHeap {
  private keys: Float64Array;
  private ties: Int32Array;
  private ids: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    const c = Math.max(4, capacity);
    this.keys = new Float64Array(c);
    this.ties = new Int32Array(c);
    this.ids = new Int32Array(c);
  }

  get size(): number {
    return this.n;
  }

  /** Key of the minimum entry; Infinity when empty. */
  peekKey(): number {
    return this.n > 0 ? this.keys[0]! : Number.POSITIVE_INFINITY;
  }

  peekTie(): number {
    return this.ties[0]!;
  }

  /** Id of the minimum entry; -1 when empty. */
  peekId(): number {
    return this.n > 0 ? this.ids[0]! : -1;
  }

  push(key: number, tie: number, id: number): void {
    if (this.n === this.keys.length) this.grow();
    const keys = this.keys;
    const ties = this.ties;
    const ids = this.ids;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk < key || (pk === key && (ties[parent]! < tie || (ties[parent] === tie && ids[parent]! <= id))))
        break;
      keys[i] = pk;
      ties[i] = ties[parent]!;
      ids[i] = ids[parent]!;
      i = parent;
    }
    keys[i] = key;
    ties[i] = tie;
    ids[i] = id;
  }

  /** Removes the minimum entry and returns its id (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const keys = this.keys;
    const ties = this.ties;
    const ids = this.ids;
    const top = ids[0]!;
    const last = --this.n;
    if (last === 0) return top;
    const key = keys[last]!;
    const tie = ties[last]!;
    const id = ids[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && less(keys, ties, ids, right, child)) child = right;
      const ck = keys[child]!;
      if (key < ck || (key === ck && (tie < ties[child]! || (tie === ties[child] && id <= ids[child]!))))
        break;
      keys[i] = ck;
      ties[i] = ties[child]!;
      ids[i] = ids[child]!;
      i = child;
    }
    keys[i] = key;
    ties[i] = tie;
    ids[i] = id;
    return top;
  }

  private grow(): void {
    const c = this.keys.length * 2;
    const keys = new Float64Array(c);
    const ties = new Int32Array(c);
    const ids = new Int32Array(c);
    keys.set(this.keys);
    ties.set(this.ties);
    ids.set(this.ids);
    this.keys = keys;
    this.ties = ties;
    this.ids = ids;
  }
}

function less(keys: Float64Array, ties: Int32Array, ids: Int32Array, a: number, b: number): boolean {
  const ka = keys[a]!;
  const kb = keys[b]!;
  if (ka !== kb) return ka < kb;
  if (ties[a] !== ties[b]) return ties[a]! < ties[b]!;
  return ids[a]! < ids[b]!;
}
