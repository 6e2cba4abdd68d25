/**
 * The backend conformance suite (MathOptInterface's MOI.Test, in miniature): the same small
 * models with known answers, run against every backend, in this thread and once in a worker.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SOLVER_NAMES } from '../../src/solver/backends/runners.ts';
import { LinearExpr, Model } from '../../src/solver/model.ts';
import { closeIdleWorkers, solveModel } from '../../src/solver/solve.ts';
import { KNOWN_CASES } from './backends.models.ts';

afterAll(() => closeIdleWorkers());

describe.each([...SOLVER_NAMES])('backend %s', (solver) => {
  it.each(KNOWN_CASES)('$name', async (c) => {
    const m = c.build();
    const r = await solveModel(m, { solver, isolation: 'inline' });
    expect(r.solver).toBe(solver);
    expect(r.status, r.message).toBe(c.status);
    if (c.status !== 'optimal') {
      expect(r.values).toBeNull();
      expect(r.objective).toBeNull();
      return;
    }
    expect(r.objective).toBeCloseTo(c.objective!, 6);
    expect(r.values).not.toBeNull();
    expect(m.violations(r.values!)).toEqual([]);
    expect(m.objectiveValue(r.values!)).toBeCloseTo(r.objective!, 9);
    // Optimal means proven: a bound that meets the objective.
    expect(r.bound).not.toBeNull();
    expect(r.gap!).toBeLessThanOrEqual(1e-4);
    for (const [name, value] of Object.entries(c.values ?? {})) {
      const j = m.variables.findIndex((v) => v.name === name);
      expect(r.values![j], name).toBeCloseTo(value, 6);
    }
    expect(r.solveSeconds).toBeGreaterThanOrEqual(0);
  });

  it('solves the LP relaxation when asked', async () => {
    const c = KNOWN_CASES.find((k) => k.relaxedObjective !== undefined)!;
    const r = await solveModel(c.build(), { solver, relax: true, isolation: 'inline' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(c.relaxedObjective!, 6);
  });

  it('accepts a starting solution and still proves the optimum', async () => {
    const c = KNOWN_CASES.find((k) => k.name.startsWith('integer knapsack'))!;
    const m = c.build();
    const start = new Float64Array(m.variables.length); // all zero: feasible, poor
    const r = await solveModel(m, { solver, start, isolation: 'inline' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBeCloseTo(c.objective!, 6);
  });

  it('gives the same answer in a worker thread', async () => {
    const c = KNOWN_CASES.find((k) => k.name === 'objective constant and a fixed variable')!;
    const r = await solveModel(c.build(), { solver, isolation: 'worker', timeLimitS: 30 });
    expect(r.status, r.message).toBe('optimal');
    expect(r.objective).toBeCloseTo(c.objective!, 6);
  });

  it('never calls an answer to garbage input optimal', async () => {
    const m = new Model('nan');
    const x = m.addVar({ name: 'x', ub: 1 });
    m.addConstraint('bad', LinearExpr.of([Number.NaN, x]), '<=', 1);
    m.setObjective('max', LinearExpr.of([1, x]));
    const r = await solveModel(m, { solver, isolation: 'inline' });
    expect(r.status).not.toBe('optimal');
  });

  it('handles a model without variables', async () => {
    const m = new Model('empty');
    m.setObjective('min', LinearExpr.constant(4));
    const r = await solveModel(m, { solver, isolation: 'inline' });
    expect(r.status).toBe('optimal');
    expect(r.objective).toBe(4);
  });
});
