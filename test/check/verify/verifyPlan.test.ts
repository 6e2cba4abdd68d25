import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { solveExact } from '../../../src/check/oracle/exhaustive.ts';
import { verifyPlan } from '../../../src/check/verify/verifyPlan.ts';
import { loadPlan } from '../../../src/scenario/documents.ts';
import { loadScenario } from '../../../src/scenario/scenario.ts';
import type { Plan } from '../../../src/schema/plan.ts';
import { tinyScenario } from '../oracle/tinyScenarios.ts';

const fixture = (f: string) => fileURLToPath(new URL(`../../fixtures/plans/${f}`, import.meta.url));
const scenario = loadScenario(fixture('workload.json'), fixture('cluster.json'));
const check = (f: string) => verifyPlan(scenario, loadPlan(fixture(f)));

describe('verifyPlan on hand-made plans', () => {
  it('accepts the valid plan and recomputes its objective', () => {
    const r = check('valid.json');
    expect(r.violations).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.objectiveValue).toBeCloseTo(r.reportedObjective!, 9);
    expect(r.scales!.every((s) => s >= 1)).toBe(true);
    expect(r.values!.makespanS).toBeGreaterThan(0);
  });

  it.each([
    ['overlap.json', 'prefill overlap on "p-a100-0": "wB/b0"'],
    [
      'dep-violation.json',
      'calls[1]: "wA/a1": prefill starts at 1.758247 s before the call is ready at 2.058247 s',
    ],
    ['wrong-instance.json', 'calls[0]: "wA/a0": decode on "p-h100-0", whose role (prefill) cannot decode'],
    ['missing-call.json', 'missing call "wB/b1": not in the plan'],
    ['kv-overflow.json', 'KV capacity exceeded on "d-a100-0" at 8.664268 s: 26060 tokens reserved > 24414'],
    ['unknown-ids.json', 'calls[2]: workflow "wB" has no call "zz"'],
    ['unknown-ids.json', 'calls[4]: unknown workflow "nope"'],
    ['other-workload.json', 'plan is for another workload'],
    ['wrong-objective.json', 'reported.objective: 4.1089484'],
    [
      'transfer-violation.json',
      'calls[2]: "wB/b0": decode starts at 4.326429 s before prefill end 4.376429 s + transfer 0.01141 s',
    ],
  ])('%s fails with "%s"', (file, message) => {
    const r = check(file);
    expect(r.ok).toBe(false);
    expect(r.violations.some((v) => v.includes(message))).toBe(true);
  });

  it('reports exactly the corruption, not collateral damage', () => {
    for (const f of ['overlap.json', 'dep-violation.json', 'kv-overflow.json', 'missing-call.json']) {
      expect(check(f).violations).toHaveLength(1);
    }
  });

  it('flags a third concurrent decode on a 2-slot instance', () => {
    const plan = loadPlan(fixture('valid.json'));
    // Three calls decode on d-h200-0 at one instant (starts after each prefill + transfer).
    const calls = plan.calls.map((c) => ({ ...c, decode_instance: 'd-h200-0', decode_start_s: 20 }));
    calls[1]!.prefill_start_s = 30; // wA/a1 must follow wA/a0's decode; keep it out of the way
    calls[1]!.decode_start_s = 35;
    const r = verifyPlan(scenario, { ...plan, calls, reported: undefined });
    expect(r.violations.filter((v) => v.startsWith('decode slots exceeded on "d-h200-0"'))).toHaveLength(1);
    expect(r.violations[0]).toContain('3 concurrent decodes > 2 slots');
  });

  it('applies its stated tolerance: 1e-6 s absolute', () => {
    const plan = loadPlan(fixture('valid.json'));
    const shifted = (dt: number): Plan => ({
      ...plan,
      reported: undefined,
      calls: plan.calls.map((c, k) => (k === 1 ? { ...c, prefill_start_s: c.prefill_start_s - dt } : c)),
    });
    expect(verifyPlan(scenario, shifted(5e-7)).ok).toBe(true);
    expect(verifyPlan(scenario, shifted(5e-6)).ok).toBe(false);
  });

  it('treats decode intervals as half-open: one may start exactly when another ends', () => {
    // kv-overflow.json decodes wB/b0 and wB/b1 together on d-a100-0; make b0 end exactly as b1 starts.
    const plan = loadPlan(fixture('kv-overflow.json'));
    const b1Start = plan.calls[3]!.decode_start_s;
    const b0 = scenario.workload.workflows[1]!.calls[0]!;
    const durS = scenario.cost.decodeS(
      scenario.cost.byId.get('d-a100-0')!,
      b0.input_tokens,
      b0.output_tokens,
    );
    const at = (startS: number): Plan => ({
      ...plan,
      reported: undefined,
      calls: plan.calls.map((c, k) => (k === 2 ? { ...c, decode_start_s: startS } : c)),
    });
    expect(verifyPlan(scenario, at(b1Start - durS)).violations).toEqual([]);
    const late = verifyPlan(scenario, at(b1Start - durS + 1e-3));
    expect(late.violations).toHaveLength(1);
    expect(late.violations[0]).toContain('KV capacity exceeded on "d-a100-0"');
  });
});

describe('verifyPlan agrees with schedules built independently', () => {
  it('accepts every plan of the exact oracle, and its recomputed objective matches the oracle', () => {
    for (let seed = 0; seed < 12; seed++) {
      const sc = tinyScenario(seed, 3 + (seed % 4));
      const r = solveExact(sc, { objective: 'quantile-scale', quantile: 0.95 });
      const v = verifyPlan(sc, r.plan);
      expect(v.violations).toEqual([]);
      expect(v.objectiveValue).toBeCloseTo(r.value, 9);
    }
  });
});
