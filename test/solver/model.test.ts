import { describe, expect, it } from 'vitest';
import { LinearExpr, Model } from '../../src/solver/model.ts';

describe('Model', () => {
  it('moves expression constants to the right-hand side and merges repeated variables', () => {
    const m = new Model();
    const x = m.addVar({ name: 'x', ub: 10 });
    const y = m.addVar({ name: 'y', type: 'integer', ub: 5 });
    m.addConstraint('r', LinearExpr.of([1, x], [2, y], [3, x]).addConstant(4), '<=', 10);
    const row = m.constraints[0]!;
    expect(row.vars).toEqual([x.index, y.index]);
    expect(row.coefs).toEqual([4, 2]);
    expect(row.rhs).toBe(6);
  });

  it('drops terms that cancel', () => {
    const m = new Model();
    const x = m.addVar({ name: 'x' });
    const y = m.addVar({ name: 'y' });
    m.addConstraint('r', LinearExpr.of([1, x], [1, y], [-1, x]), '>=', 1);
    expect(m.constraints[0]!.vars).toEqual([y.index]);
  });

  it('rejects duplicate names and inverted bounds', () => {
    const m = new Model();
    m.addVar({ name: 'x' });
    expect(() => m.addVar({ name: 'x' })).toThrow(/duplicate/);
    expect(() => m.addVar({ name: 'z', lb: 2, ub: 1 })).toThrow(/lower bound/);
  });

  it('reports every kind of violation at a point', () => {
    const m = new Model();
    const x = m.addVar({ name: 'x', ub: 3 });
    const b = m.addVar({ name: 'b', type: 'binary' });
    m.addConstraint('cap', LinearExpr.of([1, x], [2, b]), '<=', 4);
    m.addConstraint('eq', LinearExpr.of([1, x]), '=', 1);
    expect(m.violations([1, 1])).toEqual([]);
    const bad = m.violations([3.5, 0.5]);
    expect(bad.some((v) => v.startsWith('x = 3.5 outside'))).toBe(true);
    expect(bad.some((v) => v.includes('not integral'))).toBe(true);
    expect(bad.some((v) => v.startsWith('row eq'))).toBe(true);
    expect(m.violations([1])).toEqual(['solution has 1 values for 2 variables']);
  });

  it('evaluates the objective with its constant, and relaxes integrality only', () => {
    const m = new Model();
    const x = m.addVar({ name: 'x', type: 'integer', ub: 7 });
    m.setObjective('max', LinearExpr.of([2, x]).addConstant(5));
    expect(m.objectiveValue([3])).toBe(11);
    const lp = m.relaxed();
    expect(lp.isMip).toBe(false);
    expect(m.isMip).toBe(true);
    expect(lp.variables[0]).toEqual({ name: 'x', type: 'continuous', lb: 0, ub: 7 });
    expect(lp.objective).toEqual(m.objective);
  });
});
