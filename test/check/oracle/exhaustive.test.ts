import { describe, expect, it } from 'vitest';
import { solveExact } from '../../../src/check/oracle/exhaustive.ts';
import { verifyPlan } from '../../../src/check/verify/verifyPlan.ts';
import { objectiveNames } from '../../../src/objective/registry.ts';
import { solvePlacement } from '../../../src/placement/solve.ts';
import { loadScenario } from '../../../src/scenario/scenario.ts';
import type { Objective } from '../../../src/schema/plan.ts';
import { tinyScenario } from './tinyScenarios.ts';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 + 1e-9 * Math.abs(b);

describe('exact oracle', () => {
  it('its ordering rule and bound lose nothing: equals plain exhaustive search on 2–3 calls', () => {
    for (let seed = 0; seed < 15; seed++) {
      const sc = tinyScenario(seed, 2 + (seed % 2));
      for (const objective of ['quantile-scale', 'makespan', 'mean-scale'] as Objective[]) {
        const fast = solveExact(sc, { objective });
        const slow = solveExact(sc, { objective, exhaustive: true });
        expect(slow.status).toBe('optimal');
        expect(fast.nodes).toBeLessThanOrEqual(slow.nodes);
        expect(fast.value).toBe(slow.value);
      }
    }
  });

  it('solves the bundled tiny workload (≤ 8 calls) on hetero-4 to proven optimality', () => {
    const sc = loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json');
    const r = solveExact(sc, { objective: 'quantile-scale', quantile: 0.95 });
    expect(r.status).toBe('optimal');
    expect(verifyPlan(sc, r.plan).ok).toBe(true);
  });

  it('agrees with the ILP proven optimum (HiGHS, continuous model) on 22 generated instances', async () => {
    const objectives: Objective[] = objectiveNames();
    const problems: string[] = [];
    // 20 instances of 3–6 calls, plus 8-call ones: tinyScenario(3, 8) once exposed an invalid
    // pruning rule (a due date already passed counted as negative room).
    const cases: Array<[number, number, Objective, number]> = [
      ...Array.from({ length: 20 }, (_, k): [number, number, Objective, number] => [
        100 + k,
        3 + (k % 4),
        objectives[k % 4]!,
        k % 8 < 4 ? 0.95 : 0.5,
      ]),
      [3, 8, 'quantile-scale', 0.95],
      [9, 8, 'makespan', 0.95],
    ];
    for (const [seed, calls, objective, quantile] of cases) {
      const sc = tinyScenario(seed, calls);
      const oracle = solveExact(sc, { objective, quantile });
      expect(oracle.status).toBe('optimal');
      const ilp = await solvePlacement(sc, {
        objective,
        quantile,
        solver: 'highs',
        formulation: 'continuous',
        timeLimitS: 20,
      });
      const where = `seed ${seed} ${objective} q=${quantile}: oracle ${oracle.value}, ILP [${ilp.lowerBound}, ${ilp.upperBound}] ${ilp.status} ${ilp.message ?? ''}`;
      // The solver's plan must pass the independent verifier, whatever its status.
      const check = verifyPlan(sc, ilp.plan!, { quantile });
      if (!check.ok) problems.push(`seed ${seed}: the solver's plan fails verify: ${check.violations[0]}`);
      if (
        ilp.status !== 'optimal' ||
        !close(ilp.upperBound!, oracle.value) ||
        ilp.lowerBound! > oracle.value + 1e-6
      )
        problems.push(where);
    }
    expect(problems).toEqual([]);
  });
});
