import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { loadPlan } from '../../src/scenario/documents.ts';
import { loadScenario, makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import { PLAN_SCHEMA, type Plan } from '../../src/schema/plan.ts';
import { simulate } from '../../src/sim/simulate.ts';
import type { SimResult } from '../../src/sim/types.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { invariantViolations } from './invariants.ts';
import { randomCluster, randomWorkload } from './randomWorkload.ts';

function planOf(r: SimResult): Plan {
  return {
    schema: PLAN_SCHEMA,
    objective: 'quantile-scale',
    calls: r.calls.map((c) => ({
      workflow: c.workflow,
      call: c.call,
      prefill_instance: c.prefill_instance,
      decode_instance: c.decode_instance,
      prefill_start_s: c.prefill_start_s,
      decode_start_s: c.decode_start_s,
    })),
  };
}

const scenarioOf = (seed: number, workflows = 10) =>
  makeScenario(
    randomWorkload(seed, { workflows, ratePerS: 4, maxInput: 6000 }),
    Cluster.parse(randomCluster(seed + 1, 5)),
  );

describe('replay', () => {
  it('reproduces a feasible plan (any policy’s exact-mode schedule) timestamp for timestamp', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom('hexagent', 'fcfs', 'edf', 'plas'),
        (seed, policy) => {
          const sc = scenarioOf(seed);
          const original = simulate(sc, policy);
          const replayed = simulate(sc, 'replay', { plan: planOf(original) });
          expect(replayed.calls).toEqual(original.calls);
          expect(Array.from(replayed.scales)).toEqual(Array.from(original.scales));
        },
      ),
      { numRuns: 25, seed: 21 },
    );
  });

  it('never starts a stage before its planned time, even when it could', () => {
    const sc = scenarioOf(7, 4);
    const plan = planOf(simulate(sc, 'fcfs'));
    for (const c of plan.calls) {
      c.prefill_start_s += 10;
      c.decode_start_s += 10;
    }
    const r = simulate(sc, 'replay', { plan });
    r.calls.forEach((c, i) => {
      expect(c.prefill_start_s).toBeGreaterThanOrEqual(plan.calls[i]!.prefill_start_s);
      expect(c.decode_start_s).toBeGreaterThanOrEqual(plan.calls[i]!.decode_start_s);
    });
    expect(invariantViolations(sc, r)).toEqual([]);
  });

  it('pushes an infeasible plan later instead of breaking a constraint', () => {
    const sc = scenarioOf(9, 8);
    const plan = planOf(simulate(sc, 'hexagent'));
    for (const c of plan.calls) c.prefill_start_s = c.decode_start_s = 0; // everything at time 0
    expect(invariantViolations(sc, simulate(sc, 'replay', { plan }))).toEqual([]);
  });

  it('names unknown calls and instances, and calls the plan leaves out', () => {
    const sc = scenarioOf(3, 3);
    const good = planOf(simulate(sc, 'fcfs'));
    const bad = structuredClone(good);
    bad.calls[0]!.call = 'nope';
    bad.calls[1]!.decode_instance = 'gpu-x';
    expect(() => simulate(sc, 'replay', { plan: bad })).toThrow(HexplanError);
    try {
      simulate(sc, 'replay', { plan: bad });
    } catch (err) {
      const problems = (err as HexplanError).problems.join('\n');
      expect(problems).toContain('unknown call "nope"');
      expect(problems).toContain('unknown instance "gpu-x"');
    }
    const missing = structuredClone(good);
    missing.calls.pop();
    expect(() => simulate(sc, 'replay', { plan: missing })).toThrow(/not planned/);
    expect(() => simulate(sc, 'replay')).toThrow(/needs a plan/);
  });
});

describe('replay of the shared plan fixture', () => {
  it('reproduces the hand-placed plan and its reported objective exactly', () => {
    const dir = 'test/fixtures/plans';
    const sc = loadScenario(`${dir}/workload.json`, `${dir}/cluster.json`);
    const plan = loadPlan(`${dir}/valid.json`);
    const r = simulate(sc, 'replay', { plan });
    for (const pc of plan.calls) {
      const rec = r.calls.find((c) => c.workflow === pc.workflow && c.call === pc.call)!;
      expect(rec.prefill_start_s).toBe(pc.prefill_start_s);
      expect(rec.decode_start_s).toBe(pc.decode_start_s);
    }
    expect(requiredScale(r.scales, plan.quantile ?? 0.95)).toBeCloseTo(plan.reported!.objective!, 12);
  });
});
