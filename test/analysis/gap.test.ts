import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runGap } from '../../src/analysis/gap.ts';
import { bestCheapBound } from '../../src/bounds/cheap.ts';
import { solvePlacement } from '../../src/placement/solve.ts';
import { POLICY_NAMES } from '../../src/policy/registry.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { loadedScenario, tinyScenario } from '../check/oracle/tinyScenarios.ts';

const ONLINE = POLICY_NAMES.filter((p) => p !== 'replay');
const tol = (x: number) => 1e-6 * Math.max(1, Math.abs(x));

describe('runGap', () => {
  it('reports the JSON contract on the bundled tiny workload, with consistent bounds and gaps', async () => {
    const sc = loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json');
    const r = await runGap(sc, { quantile: 0.95, solver: 'highs', timeLimitS: 20, ilp: 'on' });
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['quantile', 'workflows', 'calls', 'optimum', 'policies', 'model_error']),
    );
    expect(Object.keys(r.optimum)).toEqual(
      expect.arrayContaining([
        'status',
        'lower_bound',
        'lower_bound_source',
        'upper_bound',
        'upper_bound_source',
        'lp_bound',
        'solver',
        'solve_s',
      ]),
    );
    expect(r.policies.map((p) => p.name).sort()).toEqual([...ONLINE].sort());
    expect(r.optimum.solver_plan_verified).toBe(true);
    expect(r.optimum.lower_bound).toBeLessThanOrEqual(r.optimum.upper_bound + tol(r.optimum.upper_bound));
    for (const p of r.policies) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['name', 'scale', 'gap_upper_pct', 'gap_lower_pct']),
      );
      expect(p.verified).toBe(true);
      expect(p.scale).toBeGreaterThanOrEqual(r.optimum.upper_bound - tol(p.scale));
      // Equal bounds give equal gaps up to floating-point rounding.
      expect(p.gap_upper_pct).toBeGreaterThanOrEqual(p.gap_lower_pct - 1e-9);
      expect(p.gap_upper_pct).toBeCloseTo((p.scale / r.optimum.lower_bound - 1) * 100, 9);
    }
    // Sorted by scale, and the upper bound is never worse than the best policy.
    expect(r.policies.map((p) => p.scale)).toEqual([...r.policies.map((p) => p.scale)].sort((a, b) => a - b));
    expect(r.optimum.upper_bound).toBeLessThanOrEqual(r.policies[0]!.scale);
    expect(r.model_error!.exact_scale).toBeCloseTo(r.optimum.upper_bound, 6);
  });

  it('skips the ILP when a cheap bound already meets the best verified policy (auto)', async () => {
    const sc = loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json');
    const r = await runGap(sc, { quantile: 0.95, solver: 'highs', timeLimitS: 20 });
    expect(r.optimum.lower_bound).toBe(r.optimum.upper_bound);
    expect(r.optimum.status).toBe('optimal');
    expect(r.optimum.solver).toBe('none');
    expect(r.notes.some((n) => n.startsWith('ILP not needed'))).toBe(true);
  });

  it('on ≤ 8 calls the exhaustive oracle proves the optimum, and the ILP (forced) agrees with it', async () => {
    const sc = tinyScenario(2, 6); // every policy is ≥ 45% above the optimum here
    const auto = await runGap(sc, { quantile: 0.95, solver: 'highs', timeLimitS: 20 });
    expect(auto.optimum.status).toBe('optimal');
    expect(auto.optimum.lower_bound_source).toBe('oracle:exhaustive');
    expect(auto.optimum.upper_bound_source).toBe('oracle:exhaustive (verified)');
    expect(auto.optimum.solver).toBe('none');
    expect(auto.policies[0]!.gap_lower_pct).toBeGreaterThan(40);
    const forced = await runGap(sc, { quantile: 0.95, solver: 'highs', timeLimitS: 20, ilp: 'on' });
    expect(forced.optimum.solver_plan_verified).toBe(true);
    expect(forced.notes.filter((n) => n.includes('oracle') || n.includes('not a valid bound'))).toEqual([]);
    expect(forced.optimum.upper_bound).toBeCloseTo(auto.optimum.oracle_optimum!, 6);
  });

  it('without the ILP it says so and uses cheap bounds and the best verified policy', async () => {
    const sc = loadedScenario(11, 12);
    const r = await runGap(sc, { quantile: 0.9, solver: 'highs', timeLimitS: 5, ilp: 'off' });
    expect(r.optimum.solver).toBe('none');
    expect(r.notes.some((n) => n.includes('ILP not run'))).toBe(true);
    expect(r.optimum.lower_bound).toBe(bestCheapBound(sc, 'quantile-scale', 0.9).value);
    expect(r.optimum.lower_bound_source).toBe(`cheap:${bestCheapBound(sc, 'quantile-scale', 0.9).source}`);
    expect(r.optimum.upper_bound).toBe(Math.min(...r.policies.map((p) => p.scale)));
    expect(r.optimum.upper_bound_source).toBe(`policy:${r.policies[0]!.name}`);
  });
});

describe('no online policy beats a lower bound in exact mode', () => {
  it('every policy ≥ the cheap bound and ≥ the ILP proven bound (generated small instances)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(0.5, 0.95), async (seed, q) => {
        const sc = seed % 2 === 0 ? tinyScenario(seed, 3 + (seed % 5)) : loadedScenario(seed, 3);
        const cheap = bestCheapBound(sc, 'quantile-scale', q).value;
        const ilp = await solvePlacement(sc, {
          objective: 'quantile-scale',
          quantile: q,
          solver: 'highs',
          timeLimitS: 10,
        });
        for (const policy of ONLINE) {
          const k = requiredScale(simulate(sc, policy, { mode: 'exact' }).scales, q);
          const where = `seed ${seed} q ${q} ${policy}: scale ${k}, cheap ${cheap}, ILP LB ${ilp.lowerBound} (${ilp.lowerBoundSource})`;
          expect(k, where).toBeGreaterThanOrEqual(cheap - tol(cheap));
          if (ilp.lowerBound !== null) expect(k, where).toBeGreaterThanOrEqual(ilp.lowerBound - tol(k));
        }
      }),
      { numRuns: 12, seed: 3 },
    );
  });
});
