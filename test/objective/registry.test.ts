import { describe, expect, it } from 'vitest';
import { cheapBounds } from '../../src/bounds/cheap.ts';
import { solveExact } from '../../src/check/oracle/exhaustive.ts';
import { verifyPlan } from '../../src/check/verify/verifyPlan.ts';
import { HexplanError } from '../../src/errors.ts';
import { meanScale } from '../../src/objective/meanScale.ts';
import type { PlacementObjective } from '../../src/objective/objective.ts';
import { getObjective, objectiveNames, registerObjective } from '../../src/objective/registry.ts';
import { solvePlacement } from '../../src/placement/solve.ts';
import { tinyScenario } from '../placement/tinyInstances.ts';

/**
 * Adding an objective is one file and one registration: a throwaway objective (twice the mean
 * scale: a different number from the same parts) registered here reaches the ILP, the cheap
 * bounds, the verifier and the exhaustive oracle without touching any of them.
 */
const twiceMean: PlacementObjective = {
  ...meanScale,
  name: 'twice-mean-scale',
  description: 'test objective: 2 × mean scale',
  valueOf: (values) => 2 * values.meanScale,
  cheapBounds: (input, q) => meanScale.cheapBounds(input, q).map((b) => ({ ...b, value: 2 * b.value })),
  minimum: (input, q) => 2 * meanScale.minimum(input, q),
  horizonS: (input, w, ub, total) => meanScale.horizonS(input, w, ub / 2, total),
  addTerms(model, input, q, terms) {
    const columns = meanScale.addTerms(model, input, q, { ...terms, ub: terms.ub / 2 });
    const o = model.objective;
    model.objective = { ...o, coefs: o.coefs.map((c) => 2 * c), constant: 2 * o.constant };
    return columns;
  },
};

describe('objective registry', () => {
  it('names the known objectives when asked for an unknown one', () => {
    expect(() => getObjective('nope')).toThrow(HexplanError);
    expect(() => getObjective('nope')).toThrow(/objective: unknown objective "nope" \(known: quantile-scale/);
  });

  it('a registered throwaway objective works end to end: bounds, ILP, verifier, oracle', async () => {
    registerObjective(twiceMean);
    expect(objectiveNames()).toContain('twice-mean-scale');
    expect(() => registerObjective(twiceMean)).toThrow(/registered already/);
    const sc = tinyScenario(3, { calls: 5 });
    const bound = Math.max(...cheapBounds(sc, 'twice-mean-scale', 0.95).map((b) => b.value));
    const meanBound = Math.max(...cheapBounds(sc, 'mean-scale', 0.95).map((b) => b.value));
    expect(bound).toBeCloseTo(2 * meanBound, 12);

    const mean = await solvePlacement(sc, { objective: 'mean-scale', timeLimitS: 30 });
    const twice = await solvePlacement(sc, { objective: 'twice-mean-scale', timeLimitS: 30 });
    expect(twice.status).toBe('optimal');
    expect(twice.upperBound!).toBeCloseTo(2 * mean.upperBound!, 6);
    const check = verifyPlan(sc, twice.plan!);
    expect(check.ok).toBe(true);
    expect(check.objectiveValue!).toBeCloseTo(twice.upperBound!, 6);

    const oracle = solveExact(sc, { objective: 'twice-mean-scale', quantile: 0.95 });
    expect(oracle.value).toBeCloseTo(twice.upperBound!, 6);
  });
});
