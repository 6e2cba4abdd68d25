import { describe, expect, it } from 'vitest';
import { solveExact } from '../../src/check/oracle/exhaustive.ts';
import { HexplanError } from '../../src/errors.ts';
import { objectiveNames } from '../../src/objective/registry.ts';
import { buildPlacementModel } from '../../src/placement/build.ts';
import { placementData } from '../../src/placement/data.ts';
import { replayPlan } from '../../src/placement/heuristic.ts';
import { planModelError, solvePlacement } from '../../src/placement/solve.ts';
import { buildTimeIndexedModel } from '../../src/placement/timeIndexed.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import type { Objective } from '../../src/schema/plan.ts';
import { tinyScenario } from './tinyInstances.ts';

const OBJECTIVES: Objective[] = objectiveNames();
const close = (a: number, b: number, rel = 1e-6) => Math.abs(a - b) <= rel * Math.max(1, Math.abs(b));

describe('placement model structure', () => {
  it('the warm start satisfies every row of the continuous model (all objectives, q = 0.5 and 0.95)', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const sc = tinyScenario(seed, { deadlines: true, calls: 7 });
      for (const objective of OBJECTIVES) {
        for (const quantile of [0.5, 0.95]) {
          const pm = buildPlacementModel(sc, { objective, quantile });
          expect(pm.model.violations(pm.start()), `seed ${seed} ${objective} q=${quantile}`).toEqual([]);
          // The start encodes the heuristic's objective value exactly.
          expect(close(pm.model.objectiveValue(pm.start()), pm.heuristic.value)).toBe(true);
        }
      }
    }
  });

  it('the rounded-up time-indexed model starts from a feasible grid schedule', () => {
    for (const seed of [1, 2]) {
      const sc = tinyScenario(seed, { calls: 5 });
      const pm = buildPlacementModel(sc, { objective: 'makespan', formulation: 'time-indexed', deltaS: 0.5 });
      expect(pm.formulation).toBe('time-indexed');
      expect(pm.model.violations(pm.start())).toEqual([]);
    }
  });

  it('uses met binaries only when ⌈q·W⌉ < W, and skips capacity rows that cannot bind', () => {
    const sc = tinyScenario(3, { calls: 6 });
    const W = sc.workload.workflows.length;
    expect(W).toBeGreaterThan(1);
    const all = buildPlacementModel(sc, { objective: 'quantile-scale', quantile: 0.95 });
    expect(all.model.variables.some((v) => v.name.startsWith('met_'))).toBe(false);
    const some = buildPlacementModel(sc, { objective: 'quantile-scale', quantile: 0.5 });
    expect(some.model.variables.filter((v) => v.name.startsWith('met_'))).toHaveLength(W);
    // Generous slots and short prompts: no overlap indicator is needed anywhere.
    const roomy = { ...sc.cluster, instances: sc.cluster.instances.map((i) => ({ ...i, decode_slots: 64 })) };
    const short = {
      ...sc.workload,
      workflows: sc.workload.workflows.map((wf) => ({
        ...wf,
        calls: wf.calls.map((c) => ({ ...c, input_tokens: 100, output_tokens: 20 })),
      })),
    };
    const wide = buildPlacementModel(makeScenario(short, roomy), { objective: 'makespan' });
    expect(wide.stats.overlap_indicators).toBe(0);
    expect(all.stats.overlap_indicators).toBeGreaterThan(0);
  });

  it('the time-indexed LP (rounded down) never exceeds the optimum', async () => {
    const sc = tinyScenario(5, { calls: 5 });
    const exact = solveExact(sc, { objective: 'makespan' });
    const data = placementData(sc);
    const ti = buildTimeIndexedModel(data, 'makespan', 0.95, exact.value, { deltaS: 0.5, rounding: 'down' });
    const { solveModel } = await import('../../src/solver/solve.ts');
    const lp = await solveModel(ti.model, { solver: 'highs', relax: true, timeLimitS: 20 });
    expect(lp.status).toBe('optimal');
    expect(lp.objective!).toBeLessThanOrEqual(exact.value + 1e-9);
    expect(lp.objective!).toBeGreaterThan(0);
  });
});

describe('solvePlacement', () => {
  it('matches the exhaustive oracle on tiny random instances (highs)', async () => {
    for (let seed = 1; seed <= 4; seed++) {
      const sc = tinyScenario(seed, { deadlines: true });
      for (const [objective, quantile] of [
        ['quantile-scale', 0.5],
        ['makespan', 0.95],
        ['weighted-tardiness', 0.95],
      ] as const) {
        const r = await solvePlacement(sc, { objective, quantile, timeLimitS: 30 });
        const o = solveExact(sc, { objective, quantile });
        expect(o.status).toBe('optimal');
        expect(r.status, `seed ${seed} ${objective}`).toBe('optimal');
        expect(
          close(r.upperBound!, o.value),
          `seed ${seed} ${objective}: ${r.upperBound} vs ${o.value}`,
        ).toBe(true);
        expect(r.lowerBound!).toBeLessThanOrEqual(o.value * (1 + 1e-6) + 1e-9);
      }
    }
  });

  it('highs and glpk agree on the optimum', async () => {
    let solvedByBoth = 0;
    for (let seed = 6; seed <= 8; seed++) {
      const sc = tinyScenario(seed, { calls: 5 });
      for (const objective of ['quantile-scale', 'mean-scale'] as const) {
        const h = await solvePlacement(sc, { objective, solver: 'highs', timeLimitS: 30, warmStart: false });
        const g = await solvePlacement(sc, { objective, solver: 'glpk', timeLimitS: 30, warmStart: false });
        expect(h.status).toBe('optimal');
        expect(g.status).toBe('optimal');
        expect(close(h.upperBound!, g.upperBound!), `seed ${seed} ${objective}`).toBe(true);
        if (h.solverStatus === 'optimal' && g.solverStatus === 'optimal') solvedByBoth++;
      }
    }
    // Not all cases may close by cheap bounds alone: the solvers must really have been compared.
    expect(solvedByBoth).toBeGreaterThanOrEqual(2);
  });

  it('jslp agrees on a tiny instance or reports an honest status', async () => {
    const sc = tinyScenario(5, { calls: 3 });
    const h = await solvePlacement(sc, { objective: 'makespan', solver: 'highs', timeLimitS: 20 });
    const j = await solvePlacement(sc, { objective: 'makespan', solver: 'jslp', timeLimitS: 20 });
    expect(j.solverStatus).not.toBeNull();
    if (j.status === 'optimal') expect(close(j.upperBound!, h.upperBound!)).toBe(true);
    else expect(['time_limit', 'error']).toContain(j.status);
    // Either way its upper bound is a replayed plan, never below the proven optimum.
    expect(j.upperBound!).toBeGreaterThanOrEqual(h.upperBound! * (1 - 1e-6));
  });

  it("a solved plan replays in exact mode to the solver's objective", async () => {
    for (const seed of [1, 8]) {
      const sc = tinyScenario(seed);
      for (const objective of ['quantile-scale', 'mean-scale'] as const) {
        const r = await solvePlacement(sc, { objective, timeLimitS: 30 });
        expect(r.status).toBe('optimal');
        // These instances are ones where the solver beats every heuristic: its own plan is tested.
        expect(r.upperBoundSource).toBe('highs:continuous-ilp');
        const replayed = replayPlan(sc, r.plan!, placementData(sc));
        expect(replayed.scoredBy).toBe('replay:exact');
        expect(close(replayed.value, r.plan!.reported!.objective!)).toBe(true);
        expect(close(replayed.value, r.solverObjective!)).toBe(true);
      }
    }
  });

  it('a time limit gives time_limit with the incumbent and a bound, never optimal', async () => {
    const sc = tinyScenario(3, { calls: 16 });
    // The limit bounds the whole run; two thirds of what the heuristics leave go to the ILP.
    const r = await solvePlacement(sc, { objective: 'mean-scale', timeLimitS: 1.5 });
    expect(r.status).toBe('time_limit');
    expect(r.solverStatus).toBe('time_limit');
    expect(r.plan).not.toBeNull();
    expect(r.lowerBound!).toBeLessThan(r.upperBound!);
    expect(r.gap!).toBeGreaterThan(0);
    // The upper bound is never worse than the best heuristic.
    expect(r.upperBound!).toBeLessThanOrEqual(Math.min(...Object.values(r.heuristics)) * (1 + 1e-9));
  });

  it('symmetry breaking between identical instances keeps the optimum (oracle) and the warm start', async () => {
    const base = tinyScenario(4, { calls: 5 });
    const big = base.cluster.instances.find((i) => i.id === 'dbig')!;
    const cluster = {
      ...base.cluster,
      instances: [...base.cluster.instances, { ...big, id: 'dbig2' }, { ...big, id: 'dbig3' }],
    };
    const sc = makeScenario(base.workload, cluster);
    const pm = buildPlacementModel(sc, { objective: 'makespan' });
    expect(pm.stats.symmetry_groups).toBeGreaterThan(0);
    expect(pm.model.violations(pm.start())).toEqual([]);
    const r = await solvePlacement(sc, { objective: 'makespan', timeLimitS: 30 });
    expect(r.status).toBe('optimal');
    expect(close(r.upperBound!, solveExact(sc, { objective: 'makespan' }).value)).toBe(true);
  });

  it('reports the model error of a plan (exact vs realistic replay)', async () => {
    const sc = tinyScenario(2, { calls: 4 });
    const r = await solvePlacement(sc, { objective: 'makespan', timeLimitS: 20 });
    const err = planModelError(sc, r.plan!);
    expect(close(err.exact, r.upperBound!)).toBe(true);
    expect(Number.isFinite(err.realistic)).toBe(true);
    expect(close(err.relative, err.realistic / err.exact - 1)).toBe(true);
  });

  it('rejects bad requests by name', async () => {
    const sc = tinyScenario(1, { calls: 3 });
    await expect(solvePlacement(sc, { objective: 'makespan', solver: 'cplex' as never })).rejects.toThrow(
      /unknown solver "cplex"/,
    );
    await expect(solvePlacement(sc, { objective: 'weighted-tardiness' })).rejects.toThrow(/deadline_s/);
    await expect(solvePlacement(sc, { objective: 'quantile-scale', quantile: 1.5 })).rejects.toThrow(
      HexplanError,
    );
    await expect(solvePlacement(sc, { objective: 'makespan', timeLimitS: -1 })).rejects.toThrow(
      /^timeLimitS must be > 0/,
    );
  });
});
