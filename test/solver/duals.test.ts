import { describe, expect, it } from 'vitest';
import { LinearExpr, Model } from '../../src/solver/model.ts';
import { solveModel } from '../../src/solver/solve.ts';

/**
 * max x + y  s.t.  x + 2y ≤ 4,  3x + y ≤ 6: optimum (1.6, 1.2), value 2.8, and the dual
 * y = (0.4, 0.2) solves Aᵀy = c. Raising a rhs by δ raises the optimum by y·δ.
 */
function tiny(sense: 'max' | 'min', rowSense: '<=' | '=' = '<='): Model {
  const m = new Model('tiny');
  const x = m.addVar({ name: 'x' });
  const y = m.addVar({ name: 'y' });
  const sign = sense === 'max' ? 1 : -1;
  m.setObjective(sense, LinearExpr.of([sign, x], [sign, y]));
  m.addConstraint('a', LinearExpr.of([1, x], [2, y]), rowSense, 4);
  m.addConstraint('b', LinearExpr.of([3, x], [1, y]), '<=', 6);
  return m;
}

describe('row duals', () => {
  it('are d(objective)/d(rhs) for a maximization', async () => {
    const r = await solveModel(tiny('max'), { solver: 'highs' });
    expect(r.objective).toBeCloseTo(2.8, 9);
    expect(Array.from(r.duals!)).toEqual([expect.closeTo(0.4, 9), expect.closeTo(0.2, 9)]);
  });
  it('are d(objective)/d(rhs) for a minimization', async () => {
    const r = await solveModel(tiny('min'), { solver: 'highs' });
    expect(r.objective).toBeCloseTo(-2.8, 9);
    expect(Array.from(r.duals!)).toEqual([expect.closeTo(-0.4, 9), expect.closeTo(-0.2, 9)]);
  });
  it('keep their sign on an equality row', async () => {
    const r = await solveModel(tiny('max', '='), { solver: 'highs' });
    expect(Array.from(r.duals!)).toEqual([expect.closeTo(0.4, 9), expect.closeTo(0.2, 9)]);
  });
  it('are absent for a MIP', async () => {
    const m = tiny('max');
    m.addVar({ name: 'z', type: 'integer', ub: 3 });
    const r = await solveModel(m, { solver: 'highs' });
    expect(r.duals).toBeUndefined();
  });
});
