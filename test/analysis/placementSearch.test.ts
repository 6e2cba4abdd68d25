import { describe, expect, it } from 'vitest';
import { assignmentPolicy } from '../../src/analysis/assignment.ts';
import { searchPlacement } from '../../src/analysis/placementSearch.ts';
import { searchPriorities } from '../../src/analysis/realisticSearch.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';

describe('placement search', async () => {
  it('is deterministic, never worse than its policy, and its schedule re-simulates to its scale', async () => {
    const sc = loadedScenario(5, 14);
    const options = { quantile: 0.9, policy: 'least-loaded', moves: 40, climbs: 2, seed: 3 };
    const a = await searchPlacement(sc, options);
    const b = await searchPlacement(sc, options);
    expect(a).toEqual(b);
    const start = requiredScale(simulate(sc, 'least-loaded', { mode: 'realistic' }).scales, 0.9);
    expect(a.scale).toBeLessThanOrEqual(start);
    // The policy, the replay, each candidate (a move that finds nothing to change is not run), the winner.
    expect(a.evaluations).toBeGreaterThan(3);
    expect(a.evaluations).toBeLessThanOrEqual(43);
    if (a.source.startsWith('search:')) {
      expect(a.scale).toBeLessThan(start);
      const again = simulate(sc, assignmentPolicy(a.assignment), { mode: 'realistic' });
      expect(requiredScale(again.scales, 0.9)).toBe(a.scale);
    } else expect(a.source).toBe('policy:least-loaded');
  });

  it('moves calls between instances: some loaded instance improves on the policy it started from', async () => {
    let improved = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const sc = loadedScenario(seed, 14);
      const start = requiredScale(simulate(sc, 'fcfs', { mode: 'realistic' }).scales, 0.9);
      const r = await searchPlacement(sc, { quantile: 0.9, policy: 'fcfs', moves: 30, seed });
      if (r.scale < start) improved++;
    }
    expect(improved).toBeGreaterThan(0);
  });

  it('started from the best schedule of the priority search, is never worse than it and names both searches', async () => {
    let chained = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const sc = loadedScenario(seed, 14);
      const tiers = await searchPriorities(sc, { quantile: 0.9, policy: 'least-loaded', moves: 20, seed });
      // The priority search's policy reproduces the scale it reported.
      expect(requiredScale(simulate(sc, tiers.best, { mode: 'realistic' }).scales, 0.9)).toBe(tiers.scale);
      const start = { policy: tiers.best, source: tiers.source };
      const r = await searchPlacement(sc, { quantile: 0.9, policy: 'least-loaded', start, moves: 30, seed });
      expect(r.scale).toBeLessThanOrEqual(tiers.scale);
      if (r.scale < tiers.scale) {
        chained++;
        expect(r.source.startsWith(`${tiers.source} + placement (`)).toBe(true);
      } else expect(r.source).toBe(tiers.source);
    }
    expect(chained).toBeGreaterThan(0);
  });

  it('holds and caps calls where that helps: the same schedule without them is worse', async () => {
    let helped = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const sc = loadedScenario(seed, 14);
      const r = await searchPlacement(sc, { quantile: 0.9, policy: 'atlas', moves: 300, seed });
      const a = r.assignment;
      const idle = a.prefillNotBeforeS.some((t) => t > 0) || a.decodeNotBeforeS.some((t) => t > 0);
      if (!idle && !a.decodeBatchCap.some((c) => c > 0)) continue;
      const workConserving = {
        ...a,
        prefillNotBeforeS: new Float64Array(a.prefillNotBeforeS.length),
        decodeNotBeforeS: new Float64Array(a.decodeNotBeforeS.length),
        decodeBatchCap: new Int32Array(a.decodeBatchCap.length),
      };
      const without = requiredScale(
        simulate(sc, assignmentPolicy(workConserving), { mode: 'realistic' }).scales,
        0.9,
      );
      if (without > r.scale) helped++;
      expect(r.source).toMatch(/\d+ capped, \d+ relieved, \d+ held\)$/);
    }
    expect(helped).toBeGreaterThan(0);
  });

  it('stops at its time limit and says so', async () => {
    const sc = loadedScenario(2, 14);
    const r = await searchPlacement(sc, { quantile: 0.9, policy: 'edf', moves: 1_000_000, timeLimitS: 0.2 });
    expect(r.timedOut).toBe(true);
    expect(r.evaluations).toBeLessThan(1_000_000);
  });
});
