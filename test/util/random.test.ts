import { describe, expect, it } from 'vitest';
import { hashString, Rng } from '../../src/util/random.ts';

describe('Rng (xoshiro128** seeded by splitmix32)', () => {
  it('matches the xoshiro128** reference output for state (1, 2, 3, 4)', () => {
    const r = new Rng(1) as unknown as { a: number; b: number; c: number; d: number; nextU32(): number };
    r.a = 1;
    r.b = 2;
    r.c = 3;
    r.d = 4;
    // Reference C implementation (Blackman & Vigna) from state {1, 2, 3, 4}.
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('is deterministic per seed, differs across seeds, and pins the stream', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Rng(43).next()).not.toBe(xs[0]);
    // Pinned: a change of algorithm would silently change every generated file.
    expect(new Rng(42).next()).toBe(0.548852479234541);
    expect(new Rng('abc').seed).toBe(hashString('abc'));
  });

  it('forks independent named streams without advancing the parent', () => {
    const r = new Rng(7);
    const before = new Rng(7).next();
    const f1 = r.fork('x').next();
    expect(r.next()).toBe(before);
    expect(new Rng(7).fork('x').next()).toBe(f1);
    expect(new Rng(7).fork('y').next()).not.toBe(f1);
  });

  it('draws from the right distributions (moments over 20,000 draws)', () => {
    const r = new Rng(3);
    const n = 20_000;
    const mean = (f: () => number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += f();
      return s / n;
    };
    expect(mean(() => r.uniform(2, 4))).toBeCloseTo(3, 1);
    expect(mean(() => r.normal(5, 2))).toBeCloseTo(5, 1);
    expect(mean(() => r.exponential(4))).toBeCloseTo(0.25, 2);
    expect(mean(() => r.poisson(3.5))).toBeCloseTo(3.5, 1);
    expect(mean(() => r.poisson(80))).toBeCloseTo(80, 0);
    expect(Math.log(mean(() => r.lognormal(1, 0.5)))).toBeCloseTo(1 + 0.125, 1);
    const ints = new Set(Array.from({ length: 500 }, () => r.int(-2, 2)));
    expect([...ints].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    expect(mean(() => (r.bernoulli(0.3) ? 1 : 0))).toBeCloseTo(0.3, 1);
    const w = Array.from({ length: 4000 }, () => r.weighted(['a', 'b'], [1, 3]));
    expect(w.filter((x) => x === 'b').length / 4000).toBeCloseTo(0.75, 1);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects impossible requests', () => {
    const r = new Rng(1);
    expect(() => r.int(3, 2)).toThrow();
    expect(() => r.choice([])).toThrow();
    expect(() => r.exponential(0)).toThrow();
    expect(() => r.weighted(['a'], [0])).toThrow();
  });
});
