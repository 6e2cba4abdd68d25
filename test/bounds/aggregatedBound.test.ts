import { afterAll, describe, expect, it } from 'vitest';
import { realisticFloors } from '../../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../../src/bounds/realisticLp.ts';
import { requiredRank } from '../../src/slo/quantile.ts';
import { aggregatedBound } from '../../src/solver/aggregatedBound.ts';
import { closeIdleWorkers, solveModel } from '../../src/solver/solve.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';

afterAll(() => closeIdleWorkers());

const tol = (x: number) => 1e-6 * Math.max(1, Math.abs(x));

/** The realistic LP of a loaded instance at scale k, and its optimum solved whole. */
async function lpAndOptimum(seed: number, W: number, k: number) {
  const sc = loadedScenario(seed, W);
  const lp = buildRealisticLp(sc, realisticFloors(sc), k, requiredRank(W, 0.9));
  const whole = await solveModel(lp.model, { solver: 'highs' });
  expect(whole.status).toBe('optimal');
  return { lp, optimum: whole.objective! };
}

describe('aggregated master and its dual bound', () => {
  it('brackets the realistic LP optimum in every round, and meets it when the groups stop splitting', async () => {
    let converged = 0;
    for (const [seed, W, k] of [
      [1, 8, 1.2],
      [2, 16, 1.5],
      [3, 30, 1.3],
      [4, 30, 2.5],
      [5, 24, 1.1],
    ] as const) {
      const { lp, optimum } = await lpAndOptimum(seed, W, k);
      if (lp.metColumns.length === 0) continue;
      const agg = await aggregatedBound(lp.model, lp.metColumns, lp.metArrivalInterval, {
        deadlineMs: performance.now() + 60_000,
        maxRounds: 40,
      });
      expect(agg.rounds.length).toBeGreaterThan(0);
      for (const r of agg.rounds) {
        expect(r.bound).toBeGreaterThanOrEqual(optimum - tol(optimum));
        expect(r.master!).toBeLessThanOrEqual(optimum + tol(optimum));
      }
      if (agg.stop === 'converged') {
        converged++;
        expect(agg.bound).toBeCloseTo(optimum, 4);
      }
    }
    expect(converged).toBeGreaterThan(0);
  }, 120_000);

  it('is the LP optimum when every column is its own group', async () => {
    const { lp, optimum } = await lpAndOptimum(6, 20, 1.4);
    const agg = await aggregatedBound(lp.model, lp.metColumns, Int32Array.from(lp.metColumns.keys()), {
      deadlineMs: performance.now() + 60_000,
      maxRounds: 1,
    });
    expect(agg.master!).toBeCloseTo(optimum, 6);
    expect(agg.bound).toBeGreaterThanOrEqual(optimum - tol(optimum));
    expect(agg.bound).toBeCloseTo(optimum, 4);
  }, 60_000);
});
