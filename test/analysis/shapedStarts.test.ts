import { describe, expect, it } from 'vitest';
import {
  bestShapedStart,
  prefillCappedPolicy,
  shortestFirstPolicy,
} from '../../src/analysis/shapedStarts.ts';
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

describe('shaped starting points', () => {
  it('a cap at the budget changes nothing; a cap of one token is a budget of one token', () => {
    const hexagent = getPolicy('hexagent');
    expect(scales(prefillCappedPolicy(hexagent, 8192))).toEqual(scales('hexagent'));
    expect(scales(prefillCappedPolicy(hexagent, 1))).toEqual(scales('hexagent', 1));
    expect(scales(prefillCappedPolicy(hexagent, 1))).not.toEqual(scales('hexagent'));
  });

  it('shortest-first with one band is the policy itself; with a band per workflow it serves by standalone time', () => {
    const fcfs = getPolicy('fcfs');
    expect(scales(shortestFirstPolicy(fcfs, sc, 1))).toEqual(scales(fcfs));
    // fcfs queues in arrival order; by bands the engine must see other keys, and the
    // shortest workflow is never worse off for being served first.
    const W = sc.standaloneS.length;
    const shaped = scales(shortestFirstPolicy(fcfs, sc, W));
    expect(shaped).not.toEqual(scales(fcfs));
    const shortest = Array.from(sc.standaloneS.keys()).sort(
      (a, b) => sc.standaloneS[a]! - sc.standaloneS[b]! || a - b,
    )[0]!;
    expect(shaped[shortest]!).toBeLessThanOrEqual(scales(fcfs)[shortest]!);
  });

  it('on a loaded instance beats every policy at the budget, and its run re-simulates to its scale', async () => {
    const ranked = ONLINE_POLICY_NAMES.map((name) => ({ name, scale: requiredScale(scales(name), q) })).sort(
      (a, b) => a.scale - b.scale || a.name.localeCompare(b.name),
    );
    const found = await bestShapedStart(sc, ranked, q, ranked[0]!.scale);
    expect(found).not.toBeNull();
    expect(found!.scale).toBeLessThan(ranked[0]!.scale);
    expect(requiredScale(Float64Array.from(scales(found!.policy)), q)).toBe(found!.scale);
    expect(found!.label).toMatch(/^[a-z-]+(, shortest workflows first)?(, prefill batches ≤ \d+ tokens)?$/);
    // Nothing beats a scale below 1: no start is reported.
    expect(await bestShapedStart(sc, ranked.slice(0, 1), q, 0.5)).toBeNull();
  });
});
