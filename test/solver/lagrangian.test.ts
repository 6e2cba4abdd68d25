import { describe, expect, it } from 'vitest';
import { impliedUpperBounds, lagrangianBound } from '../../src/solver/lagrangian.ts';
import { LinearExpr, Model } from '../../src/solver/model.ts';

/** max x + y s.t. x + 2y ≤ 4, 3x + y ≤ 6: optimum 2.8, dual (0.4, 0.2). */
function tiny(): Model {
  const m = new Model('tiny');
  const x = m.addVar({ name: 'x' });
  const y = m.addVar({ name: 'y' });
  m.setObjective('max', LinearExpr.of([1, x], [1, y]));
  m.addConstraint('a', LinearExpr.of([1, x], [2, y]), '<=', 4);
  m.addConstraint('b', LinearExpr.of([3, x], [1, y]), '<=', 6);
  return m;
}

describe('lagrangianBound', () => {
  it('is the optimum at the optimal dual, never below it', () => {
    const m = tiny();
    const r = lagrangianBound(m, [0.4, 0.2], impliedUpperBounds(m));
    expect(r.bound).toBeGreaterThanOrEqual(2.8);
    expect(r.bound).toBeCloseTo(2.8, 12);
  });
  it('stays above the optimum for other prices, paying for dual infeasibility with implied bounds', () => {
    const m = tiny();
    const upper = impliedUpperBounds(m);
    for (const y of [
      [0.5, 0.25],
      [0.3, 0.25],
      [0.39, 0.19],
      [0, 0],
      [-1, 0.5],
    ]) {
      const r = lagrangianBound(m, y, upper);
      expect(r.bound).toBeGreaterThanOrEqual(2.8);
    }
    // Without bounds on x and y nothing is proven: even the optimal dual leaves reduced costs
    // that are zero only up to rounding, and rounding might make them positive.
    expect(lagrangianBound(m, [0.39, 0.19]).bound).toBe(Number.POSITIVE_INFINITY);
  });
  it('gives a lower bound for a minimization', () => {
    const m = tiny();
    m.setObjective('min', LinearExpr.of([-1, { index: 0 }], [-1, { index: 1 }]));
    const r = lagrangianBound(m, [-0.4, -0.2], impliedUpperBounds(m));
    expect(r.bound).toBeLessThanOrEqual(-2.8);
    expect(r.bound).toBeCloseTo(-2.8, 12);
  });
});

describe('impliedUpperBounds', () => {
  it('reads bounds off the rows, just above the exact ones', () => {
    const ub = impliedUpperBounds(tiny());
    expect(ub[0]).toBeGreaterThanOrEqual(2);
    expect(ub[0]).toBeCloseTo(2, 9);
    expect(ub[1]).toBeGreaterThanOrEqual(2);
    expect(ub[1]).toBeCloseTo(2, 9);
  });
  it('chains through equality rows', () => {
    // u = m (m ≤ 1), n ≤ 5u: n ≤ 5 only after u's bound is known.
    const m = new Model('chain');
    const met = m.addVar({ name: 'met', ub: 1 });
    const u = m.addVar({ name: 'u' });
    const n = m.addVar({ name: 'n' });
    m.setObjective('max', LinearExpr.of([1, met]));
    m.addConstraint('count', LinearExpr.of([1, u], [-1, met]), '=', 0);
    m.addConstraint('tokens', LinearExpr.of([1, n], [-5, u]), '<=', 0);
    const ub = impliedUpperBounds(m);
    expect(ub[1]).toBeCloseTo(1, 9);
    expect(ub[2]).toBeCloseTo(5, 9);
  });
});
