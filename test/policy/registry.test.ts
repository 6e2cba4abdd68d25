import { describe, expect, it } from 'vitest';
import { compare, defaultComparePolicies } from '../../src/analysis/compare.ts';
import { SWEEP_POLICY_NAMES } from '../../src/analysis/sweep/grid.ts';
import type { Policy } from '../../src/policy/policy.ts';
import { getPolicy, ONLINE_POLICY_NAMES, POLICY_NAMES, registerPolicy } from '../../src/policy/registry.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';

/**
 * Adding a policy is one file and one registration: a throwaway policy (every call on the
 * first eligible prefill instance and the first decode instance with room) registered here
 * runs in both simulator modes, in compare and in sweeps.
 */
const firstFit: Policy = {
  name: 'first-fit',
  description: 'test policy: the first eligible instances, arrival order',
  create(view) {
    return {
      place(calls) {
        for (const c of calls) {
          const model = view.modelOf(view.workflowOf(c));
          const kv = view.cost.kvTokens(view.inputTokens(c), view.outputTokens(c));
          const p = view.prefillInstances(model)[0]!;
          const d = view.decodeInstances(model).find((i) => i.kvCapacityTokens >= kv)!;
          view.assign(c, p.index, d.index, view.nowS);
        }
      },
    };
  },
};

describe('policy registry', () => {
  it('a registered throwaway policy simulates in both modes and joins compare and sweeps', () => {
    registerPolicy(firstFit);
    expect(() => registerPolicy(firstFit)).toThrow(/registered already/);
    expect(getPolicy('first-fit')).toBe(firstFit);
    for (const names of [POLICY_NAMES, ONLINE_POLICY_NAMES, SWEEP_POLICY_NAMES])
      expect(names).toContain('first-fit');
    expect(defaultComparePolicies(false)).toContain('first-fit');
    const sc = loadScenario();
    for (const mode of ['exact', 'realistic'] as const) {
      const run = simulate(sc, 'first-fit', { mode });
      expect(run.policy).toBe('first-fit');
      expect(run.scales.every((s) => s >= 1 - 1e-9)).toBe(true);
    }
    const table = compare(sc, ['hexagent', 'first-fit']);
    expect(table.hexagent_reduction?.versus.map((v) => v.baseline)).toEqual(['first-fit']);
  });

  it('a plan-following policy is flagged, not named, and stays out of the online lists', () => {
    const planned = POLICY_NAMES.filter((n) => getPolicy(n).needsPlan);
    expect(planned).toEqual(['replay']);
    for (const n of planned) expect(ONLINE_POLICY_NAMES).not.toContain(n);
  });
});
