import { afterAll, describe, expect, it } from 'vitest';
import { runRealisticGap } from '../../src/analysis/realisticGap.ts';
import { searchPriorities } from '../../src/analysis/realisticSearch.ts';
import { shapedStartRuns } from '../../src/analysis/shapedStarts.ts';
import { ONLINE_POLICY_NAMES } from '../../src/policy/registry.ts';
import { makeScenario, type Scenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { closeIdleWorkers } from '../../src/solver/solve.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';
import { runCli } from '../helpers/cliOutput.ts';

afterAll(() => closeIdleWorkers());

describe('realistic gap', () => {
  it('brackets every policy: LB ≤ UB ≤ each policy, gaps consistent, every bound named', async () => {
    const sc = loadedScenario(3, 12);
    const r = await runRealisticGap(sc, {
      quantile: 0.9,
      solver: 'highs',
      timeLimitS: 20,
      ilp: 'off',
      searchMoves: 10,
    });
    const o = r.optimum;
    expect(r.mode).toBe('realistic');
    expect(o.lower_bound).toBeLessThanOrEqual(o.upper_bound);
    expect(o.lower_bound).toBeGreaterThanOrEqual(o.critical_path_bound);
    expect(o.lower_bound_source).toMatch(/^realistic-(lp|critical-path)$/);
    expect(o.upper_bound_source).toMatch(/^(policy|search):/);
    expect(r.policies.map((p) => p.name).sort()).toEqual([...ONLINE_POLICY_NAMES].sort());
    for (const p of r.policies) {
      expect(p.scale).toBeGreaterThanOrEqual(o.upper_bound);
      expect(p.scale).toBe(requiredScale(simulate(sc, p.name, { mode: 'realistic' }).scales, 0.9));
      expect(p.gap_upper_pct).toBeCloseTo((p.scale / o.lower_bound - 1) * 100, 9);
      expect(p.gap_lower_pct).toBeCloseTo((p.scale / o.upper_bound - 1) * 100, 9);
    }
  });

  it('notes the mixed instances that ran side by side, and none once they share their GPU', async () => {
    const sc = loadedScenario(3, 6);
    const first = sc.cluster.instances.findIndex((i) => i.role === 'prefill');
    const mixed = (timeshare?: 'chunked') =>
      makeScenario(sc.workload, {
        ...sc.cluster,
        ...(timeshare ? { mixed_timeshare: timeshare } : {}),
        instances: sc.cluster.instances.map((i, k) => (k === first ? { ...i, role: 'mixed' as const } : i)),
      });
    const notes = async (s: Scenario) =>
      (
        await runRealisticGap(s, {
          quantile: 0.9,
          solver: 'highs',
          timeLimitS: 10,
          ilp: 'off',
          searchMoves: 2,
        })
      ).notes;
    const id = sc.cluster.instances[first]!.id;
    expect(await notes(mixed())).toContainEqual(
      expect.stringMatching(new RegExp(`^mixed instance ${id}: .*side by side`)),
    );
    expect((await notes(mixed('chunked'))).join('\n')).not.toMatch(/side by side/);
    expect((await notes(sc)).join('\n')).not.toMatch(/side by side/);
  });

  it('reports each phase as it goes and lets the event loop run between simulations (Ctrl-C)', async () => {
    const sc = loadedScenario(3, 12);
    const steps: string[] = [];
    let loopTurns = 0;
    const turnsAt: number[] = [];
    const r = await runRealisticGap(sc, {
      quantile: 0.9,
      solver: 'highs',
      timeLimitS: 20,
      ilp: 'off',
      searchMoves: 4,
      placementMoves: 3,
      onStep: (s) => {
        steps.push(`${s.phase} ${s.done}/${s.total}`);
        turnsAt.push(loopTurns);
        setImmediate(() => loopTurns++);
      },
    });
    const policies = ONLINE_POLICY_NAMES.length;
    const shaped = shapedStartRuns(policies);
    const searches = policies + shaped + 7;
    expect(steps.slice(0, searches)).toEqual([
      ...Array.from({ length: policies }, (_, i) => `policies ${i + 1}/${policies}`),
      ...Array.from({ length: shaped }, (_, i) => `shaped starts ${i + 1}/${shaped}`),
      ...[1, 2, 3, 4].map((i) => `priority search ${i}/4`),
      ...[1, 2, 3].map((i) => `placement search ${i}/3`),
    ]);
    expect(steps.slice(searches).every((s) => s.startsWith('lower bound '))).toBe(true);
    // One step per k probed (a probe may solve a coarse LP before the search's own grid).
    expect(steps.filter((s) => s.startsWith('lower bound ')).length).toBe(
      new Set(r.optimum.lp_solves.map((s) => s.k)).size,
    );
    // A callback queued at one step has run by the next: nothing in between held the loop.
    for (let i = 1; i < searches; i++) expect(turnsAt[i], steps[i]).toBeGreaterThanOrEqual(i);
  });

  it('the priority search is deterministic and never worse than its starting policy', async () => {
    const sc = loadedScenario(5, 14);
    const a = await searchPriorities(sc, { quantile: 0.9, policy: 'edf', moves: 12, seed: 3 });
    const b = await searchPriorities(sc, { quantile: 0.9, policy: 'edf', moves: 12, seed: 3 });
    expect(a).toEqual(b);
    expect(a.scale).toBeLessThanOrEqual(
      requiredScale(simulate(sc, 'edf', { mode: 'realistic' }).scales, 0.9),
    );
    expect(a.evaluations).toBe(13);
  });

  it('hexplan gap defaults to realistic mode and keeps exact mode behind --mode exact', async () => {
    const tiny = ['-w', 'instances/workloads/tiny.json', '-c', 'instances/clusters/hetero-4.json', '--json'];
    const real = await runCli(['gap', ...tiny, '--ilp', 'off']);
    expect(real.code).toBe(0);
    const rj = JSON.parse(real.out);
    expect(rj.mode).toBe('realistic');
    expect(rj.optimum.lower_bound).toBeLessThanOrEqual(rj.optimum.upper_bound);
    const exact = await runCli(['gap', ...tiny, '--mode', 'exact', '--ilp', 'off']);
    expect(exact.code).toBe(0);
    expect(JSON.parse(exact.out).mode).toBe('exact');
    const bad = await runCli(['gap', ...tiny, '--mode', 'fast']);
    expect(bad.code).not.toBe(0);
  });
});
