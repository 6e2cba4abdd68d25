/**
 * finalize(): what a backend may claim, fed with solver answers that lie. Real solvers rarely
 * do on small models, so the lies are made up here.
 */
import { describe, expect, it } from 'vitest';
import { finalize } from '../../src/solver/backends/finalize.ts';
import type { RawAnswer } from '../../src/solver/backends/raw.ts';
import { LinearExpr, Model } from '../../src/solver/model.ts';

function twoVarMax(): Model {
  // max x + y, x + y ≤ 4, x integer ≤ 3, y ≤ 2.5, objective constant 1.
  const m = new Model('t');
  const x = m.addVar({ name: 'x', type: 'integer', ub: 3 });
  const y = m.addVar({ name: 'y', ub: 2.5 });
  m.addConstraint('cap', LinearExpr.of([1, x], [1, y]), '<=', 4);
  m.setObjective('max', LinearExpr.of([1, x], [1, y]).addConstant(1));
  return m;
}

const raw = (a: Partial<RawAnswer>): RawAnswer => ({
  status: 'optimal',
  objective: null,
  bound: null,
  values: null,
  ...a,
});

describe('finalize', () => {
  it('keeps a verified optimum, recomputing the objective with its constant', () => {
    const r = finalize(twoVarMax(), raw({ values: Float64Array.of(2, 2), objective: 5, bound: 5 }), 's', 0.1);
    expect(r).toMatchObject({ status: 'optimal', objective: 5, bound: 5, gap: 0, solver: 's' });
    expect(r.message).toBeUndefined();
  });

  it('turns an "optimal" point that violates a row into an error with no values', () => {
    const r = finalize(
      twoVarMax(),
      raw({ values: Float64Array.of(3, 2.5), objective: 6.5, bound: 6.5 }),
      's',
      0,
    );
    expect(r.status).toBe('error');
    expect(r.values).toBeNull();
    expect(r.objective).toBeNull();
    expect(r.message).toMatch(/row cap/);
  });

  it('rejects a fractional integer and keeps a time limit honest', () => {
    const r = finalize(twoVarMax(), raw({ status: 'time_limit', values: Float64Array.of(1.5, 2) }), 's', 0);
    expect(r.status).toBe('time_limit');
    expect(r.values).toBeNull();
    expect(r.message).toMatch(/not integral/);
  });

  it('snaps near-integers and reports a mismatching solver objective (the glpk zero-objective trap)', () => {
    const r = finalize(
      twoVarMax(),
      raw({ values: Float64Array.of(1.0000001, 2.5), objective: 0, bound: 4.5 }),
      's',
      0,
    );
    expect(r.values![0]).toBe(1);
    expect(r.objective).toBe(4.5);
    expect(r.message).toMatch(/reported objective 0, recomputed 4.5/);
  });

  it('drops a bound on the wrong side of the verified point and withdraws "optimal"', () => {
    // Maximizing: a bound below the incumbent cannot be a valid upper bound.
    const r = finalize(twoVarMax(), raw({ values: Float64Array.of(2, 2), objective: 5, bound: 3 }), 's', 0);
    expect(r.status).toBe('time_limit');
    expect(r.bound).toBeNull();
    expect(r.message).toMatch(/wrong side/);
  });

  it('does not accept "optimal" without a point', () => {
    expect(finalize(twoVarMax(), raw({ bound: 5 }), 's', 0).status).toBe('error');
  });

  it('reports the gap between a time-limited incumbent and its bound', () => {
    const r = finalize(
      twoVarMax(),
      raw({ status: 'time_limit', values: Float64Array.of(1, 2), bound: 5.5 }),
      's',
      0,
    );
    expect(r.objective).toBe(4);
    expect(r.gap).toBeCloseTo(1.5 / 4, 12);
  });

  it('falls back to a feasible start when the solver found nothing better, and contradicts "infeasible"', () => {
    const start = Float64Array.of(1, 1);
    const none = finalize(twoVarMax(), raw({ status: 'time_limit', bound: 5 }), 's', 0, start);
    expect(none).toMatchObject({ status: 'time_limit', objective: 3, bound: 5 });
    expect(none.message).toMatch(/starting solution/);
    const worse = finalize(
      twoVarMax(),
      raw({ status: 'time_limit', values: Float64Array.of(0, 1) }),
      's',
      0,
      start,
    );
    expect(worse.objective).toBe(3);
    const better = finalize(
      twoVarMax(),
      raw({ status: 'time_limit', values: Float64Array.of(2, 2) }),
      's',
      0,
      start,
    );
    expect(better.objective).toBe(5);
    const liar = finalize(twoVarMax(), raw({ status: 'infeasible' }), 's', 0, start);
    expect(liar.status).toBe('error');
    expect(liar.message).toMatch(/starting solution is feasible/);
  });
});
