import { describe, expect, it } from 'vitest';
import { bestPrefillCappedStart, prefillCappedPolicy } from '../../src/analysis/prefillCappedStarts.ts';
import type { Policy } from '../../src/policy/policy.ts';
import { getPolicy, ONLINE_POLICY_NAMES } from '../../src/policy/registry.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';

const q = 0.9;
const sc = loadedScenario(2, 14);
const scales = (policy: Policy | string, prefillTokenBudget?: number) =>
  Array.from(
    simulate(sc, policy, { mode: 'realistic', ...(prefillTokenBudget ? { prefillTokenBudget } : {}) }).scales,
  );

describe('prefill-capped starting points', () => {
  it('a cap at the budget changes nothing; a cap of one token is a budget of one token', () => {
    const hexagent = getPolicy('hexagent');
    expect(scales(prefillCappedPolicy(hexagent, 8192))).toEqual(scales('hexagent'));
    expect(scales(prefillCappedPolicy(hexagent, 1))).toEqual(scales('hexagent', 1));
    expect(scales(prefillCappedPolicy(hexagent, 1))).not.toEqual(scales('hexagent'));
  });

  it('on a loaded instance beats every policy at the budget, and its run re-simulates to its scale', async () => {
    const ranked = ONLINE_POLICY_NAMES.map((name) => ({ name, scale: requiredScale(scales(name), q) })).sort(
      (a, b) => a.scale - b.scale || a.name.localeCompare(b.name),
    );
    const found = await bestPrefillCappedStart(
      sc,
      ranked.map((r) => r.name),
      q,
      ranked[0]!.scale,
    );
    expect(found).not.toBeNull();
    expect(found!.scale).toBeLessThan(ranked[0]!.scale);
    expect(requiredScale(Float64Array.from(scales(found!.policy)), q)).toBe(found!.scale);
    expect(found!.label).toMatch(/^[a-z-]+, prefill batches ≤ \d+ tokens$/);
    // Nothing beats a scale below 1: no start is reported.
    expect(await bestPrefillCappedStart(sc, ['hexagent'], q, 0.5)).toBeNull();
  });
});
