import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestCheapBound, cheapBounds } from '../../src/bounds/cheap.ts';
import { callFloors } from '../../src/bounds/floors.ts';
import { solveExact } from '../../src/check/oracle/exhaustive.ts';
import { getObjective, objectiveNames } from '../../src/objective/registry.ts';
import { POLICY_NAMES } from '../../src/policy/registry.ts';
import type { Objective } from '../../src/schema/plan.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { objectiveValues } from '../../src/slo/objectiveValues.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { loadedScenario, tinyScenario } from '../check/oracle/tinyScenarios.ts';

const OBJECTIVES: Objective[] = objectiveNames();
const ONLINE = POLICY_NAMES.filter((p) => p !== 'replay');
const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

describe('cheap lower bounds', () => {
  it('no online policy beats any cheap bound in exact mode, and capacity bounds do bind', () => {
    const winners = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 4, max: 24 }),
        fc.constantFrom(0.5, 0.9, 0.95, 1),
        (seed, W, q) => {
          const sc = loadedScenario(seed, W);
          const floors = callFloors(sc);
          for (const policy of ONLINE) {
            const run = simulate(sc, policy, { mode: 'exact' });
            const { values } = objectiveValues(sc.workload, sc.standaloneS, run.finishS, q);
            for (const objective of OBJECTIVES) {
              const achieved = getObjective(objective).valueOf(values);
              for (const b of cheapBounds(sc, objective, q, floors)) {
                if (achieved < b.value - slack(b.value)) {
                  throw new Error(
                    `${policy} ${objective} q=${q}: ${achieved} < ${b.source} bound ${b.value} (seed ${seed}, W ${W})`,
                  );
                }
              }
            }
          }
          winners.add(bestCheapBound(sc, 'quantile-scale', q, floors).source);
          winners.add(`makespan:${bestCheapBound(sc, 'makespan', q, floors).source}`);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
    // Not a tautology: on loaded instances the capacity arguments are sometimes the strongest.
    expect([...winners].some((s) => s.endsWith('capacity') && !s.startsWith('makespan'))).toBe(true);
    expect([...winners].some((s) => s.startsWith('makespan:') && s !== 'makespan:critical-path')).toBe(true);
  });

  it('never exceeds the exact optimum of tiny instances (oracle)', () => {
    for (let seed = 0; seed < 12; seed++) {
      const sc = tinyScenario(seed, 3 + (seed % 4));
      for (const objective of OBJECTIVES) {
        const opt = solveExact(sc, { objective, quantile: 0.95 });
        expect(opt.status).toBe('optimal');
        const b = bestCheapBound(sc, objective, 0.95);
        expect(b.value).toBeLessThanOrEqual(opt.value + slack(opt.value));
      }
    }
  });

  it('the critical-path quantile bound is the ceil(q·W)-th smallest per-workflow floor', () => {
    const sc = loadedScenario(3, 10);
    const floors = callFloors(sc);
    const lb = Array.from(floors.workflowPathS, (p, w) => p / sc.standaloneS[w]!);
    const cp = cheapBounds(sc, 'quantile-scale', 0.5, floors).find((b) => b.source === 'critical-path')!;
    expect(cp.value).toBe(requiredScale(lb, 0.5));
    // Every per-workflow floor is at least 1: exact-mode decodes are never faster than alone.
    expect(lb.every((x) => x >= 1 - 1e-12)).toBe(true);
  });
});
