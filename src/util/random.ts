/**
 * The seeded pseudo-random generator every part of hexplan uses (never Math.random).
 *
 * Core: xoshiro128** (Blackman & Vigna) on four 32-bit words, seeded through splitmix32.
 * Only 32-bit integer operations (Math.imul, >>>, ^), so the integer stream is identical on
 * every platform and Node version. Floats in [0, 1) take 53 random bits from two draws.
 * Distribution helpers use Math.log/exp/sqrt/cos; V8 implements these with its own fdlibm
 * port, so results are identical across platforms for a given Node major version.
 *
 * Streams: `rng.fork('label')` derives an independent generator from the parent's seed and
 * a label without consuming the parent's stream, so adding draws in one part of a generator
 * does not shift the numbers another part sees.
 */

/** A 32-bit hash of a string (FNV-1a followed by a murmur3 finalizer), for seeds and labels. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** splitmix32: expands one 32-bit seed into well-mixed state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function seedWord(seed: number | string): number {
  if (typeof seed === 'string') return hashString(seed);
  if (!Number.isFinite(seed)) throw new Error(`seed must be finite, got ${seed}`);
  // Mix the high part in too, so seeds beyond 2^32 (and negative ones) stay distinct.
  const hi = Math.floor(seed / 4294967296);
  return fmix32((seed >>> 0) ^ Math.imul(hi | 0, 0x9e3779b9));
}

export class Rng {
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number | string = 1) {
    this.seed = seedWord(seed);
    const st = { s: this.seed };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** A uniform 32-bit unsigned integer (xoshiro128**). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** An independent generator for a named sub-stream; does not advance this one. */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** Uniform real in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi] (both inclusive), unbiased (rejection sampling). */
  int(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo)
      throw new Error(`int(${lo}, ${hi}): need integers lo <= hi`);
    const span = hi - lo + 1;
    if (span <= 4294967296) {
      const limit = 4294967296 - (4294967296 % span);
      let x = this.nextU32();
      while (x >= limit) x = this.nextU32();
      return lo + (x % span);
    }
    return lo + Math.floor(this.next() * span);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal by Box–Muller (the second value is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma)): mu and sigma are the parameters of the underlying normal. */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    if (!(rate > 0)) throw new Error(`exponential rate must be > 0, got ${rate}`);
    return -Math.log(1 - this.next()) / rate;
  }

  /** Poisson count with mean lambda (Knuth for small lambda, normal approximation above 500). */
  poisson(lambda: number): number {
    if (!(lambda >= 0)) throw new Error(`poisson mean must be >= 0, got ${lambda}`);
    if (lambda === 0) return 0;
    if (lambda > 500) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    // Split large means so exp(-lambda) does not underflow.
    let count = 0;
    let rest = lambda;
    while (rest > 0) {
      const step = Math.min(rest, 30);
      rest -= step;
      const limit = Math.exp(-step);
      let p = this.next();
      while (p > limit) {
        count++;
        p *= this.next();
      }
    }
    return count;
  }

  /** A uniformly chosen element. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('choice from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** An element chosen with probability proportional to its weight. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    if (items.length === 0 || items.length !== weights.length)
      throw new Error('weighted: items and weights must be non-empty and of equal length');
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new Error(`weighted: negative or NaN weight ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new Error('weighted: weights sum to zero');
    let x = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      x -= weights[i] as number;
      if (x < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const t = out[i] as T;
      out[i] = out[j] as T;
      out[j] = t;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Shorthand: `rng(seed)`. */
export function rng(seed: number | string = 1): Rng {
  return new Rng(seed);
}
