import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tieredPolicy } from '../../src/analysis/realisticSearch.ts';
import { realisticLowerBound } from '../../src/bounds/realisticBound.ts';
import { realisticFloors } from '../../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../../src/bounds/realisticLp.ts';
import type { Policy } from '../../src/policy/policy.ts';
import { getPolicy, ONLINE_POLICY_NAMES } from '../../src/policy/registry.ts';
import { makeScenario, type Scenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { closeIdleWorkers, solveModel } from '../../src/solver/solve.ts';
import { Rng } from '../../src/util/random.ts';
import { compiledWorkload } from '../../src/workload/compiled.ts';
import { exhaustiveBest } from '../check/oracle/exhaustiveRealistic.ts';
import { loadedScenario, tinyScenario } from '../check/oracle/tinyScenarios.ts';

/**
 * Set HEXPLAN_LONG_PROPERTIES=1 for the long variant (many more random instances), or
 * HEXPLAN_PROPERTY_RUNS=N for N of them.
 */
const LONG = process.env.HEXPLAN_LONG_PROPERTIES === '1';
const RUNS = Number(process.env.HEXPLAN_PROPERTY_RUNS ?? (LONG ? 400 : 12));
const slack = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

afterAll(() => closeIdleWorkers());

/**
 * A random schedule the realistic engine can run: random (prefill, decode) pairs among the
 * legal ones, random priorities, random idle time inserted before either stage, and random
 * caps on the decode batch and the prefill batch a call shares.
 */
function randomSchedule(seed: number): Policy {
  return {
    name: 'random-schedule',
    description: 'random legal placements, priorities and start delays (tests only)',
    create(view) {
      const rng = new Rng(`random-schedule/${seed}`);
      return {
        place(calls) {
          for (const c of calls) {
            const m = view.modelOf(view.workflowOf(c));
            const kv = view.inputTokens(c) + view.outputTokens(c);
            const P = view.prefillInstances(m);
            const D = view.decodeInstances(m).filter((d) => d.kvCapacityTokens >= kv);
            const p = P[rng.int(0, P.length - 1)]!;
            const d = D[rng.int(0, D.length - 1)]!;
            const delay = rng.bernoulli(0.3) ? rng.uniform(0, 2) : 0;
            view.assign(c, p.index, d.index, rng.uniform(0, 100), {
              decodePriority: rng.uniform(0, 100),
              prefillNotBeforeS: view.nowS + delay,
              decodeNotBeforeS: view.nowS + delay + (rng.bernoulli(0.2) ? rng.uniform(0, 1) : 0),
              ...(rng.bernoulli(0.3) ? { decodeBatchCap: rng.int(1, 4) } : {}),
              ...(rng.bernoulli(0.3) ? { prefillBatchTokenCap: rng.int(1, 4096) } : {}),
            });
          }
        },
      };
    },
  };
}

type MixedVariant = 'as is' | 'mixed' | 'mixed timeshare' | 'mixed chunked';

/**
 * The scenario with its first prefill instance turned mixed, its prefill and decode side by
 * side or sharing its GPU (`mixed timeshare`: whole batches first; `mixed chunked`: chunked
 * prefill): the bound must hold for every engine.
 */
function withMixed(sc: Scenario, variant: MixedVariant): Scenario {
  if (variant === 'as is') return sc;
  const first = sc.cluster.instances.findIndex((i) => i.role === 'prefill');
  const cluster = {
    ...sc.cluster,
    mixed_timeshare: variant === 'mixed chunked' ? ('chunked' as const) : variant === 'mixed timeshare',
    instances: sc.cluster.instances.map((i, k) => (k === first ? { ...i, role: 'mixed' as const } : i)),
  };
  return makeScenario(sc.workload, cluster);
}

/** Every realistic run of these schedules on sc, with random priority tiers and prefill budgets. */
function schedules(sc: Scenario, seed: number): Array<{ label: string; policy: Policy; budget: number }> {
  const rng = new Rng(`schedules/${seed}`);
  const W = sc.workload.workflows.length;
  const workflowOf = compiledWorkload(sc.workload).workflowOf;
  const out: Array<{ label: string; policy: Policy; budget: number }> = [];
  const budget = () => [512, 2048, 8192, 32768][rng.int(0, 3)]!;
  for (const name of ONLINE_POLICY_NAMES) {
    out.push({ label: name, policy: getPolicy(name), budget: budget() });
    const tiers = Int8Array.from({ length: W }, () => rng.int(-1, 1));
    out.push({
      label: `${name}+tiers`,
      policy: tieredPolicy(getPolicy(name), tiers, workflowOf),
      budget: budget(),
    });
  }
  for (let k = 0; k < 3; k++)
    out.push({ label: `random#${k}`, policy: randomSchedule(seed * 10 + k), budget: budget() });
  return out;
}

describe('realistic lower bound', () => {
  it(
    'no realistic simulation ends below it: policies × priority tiers × random schedules',
    async () => {
      let lpWins = 0;
      let aggWins = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 1_000_000 }),
          fc.integer({ min: 3, max: 16 }),
          fc.constantFrom(0.5, 0.9, 0.95, 1),
          fc.constantFrom('as is', 'mixed', 'mixed timeshare', 'mixed chunked') as fc.Arbitrary<MixedVariant>,
          async (seed, W, q, variant) => {
            const sc = withMixed(loadedScenario(seed, W), variant);
            const floors = realisticFloors(sc);
            const lb = await realisticLowerBound(sc, { quantile: q, floors, timeLimitS: 20, relTol: 0.01 });
            if (lb.source === 'realistic-lp') lpWins++;
            // The same search deciding every k by the aggregated master's dual bound.
            const agg = await realisticLowerBound(sc, {
              quantile: q,
              floors,
              timeLimitS: 20,
              relTol: 0.01,
              aggregateFromWorkflows: 0,
            });
            if (agg.source === 'realistic-lp') aggWins++;
            for (const s of schedules(sc, seed)) {
              const run = simulate(sc, s.policy, { mode: 'realistic', prefillTokenBudget: s.budget });
              const k = requiredScale(run.scales, q);
              for (const b of [lb, agg]) {
                if (k < b.value - slack(b.value)) {
                  throw new Error(
                    `${s.label}: realistic scale ${k} < LB ${b.value} (${b.source}), seed ${seed} W ${W} q ${q} ${variant}`,
                  );
                }
              }
              // The per-workflow floor behind the critical-path bound holds for every workflow.
              run.finishS.forEach((f, w) => {
                const latency = f - sc.workload.workflows[w]!.arrival_s;
                if (latency < floors.workflowPathS[w]! - slack(latency)) {
                  throw new Error(
                    `${s.label}: workflow ${w} took ${latency} < floor ${floors.workflowPathS[w]}`,
                  );
                }
              });
            }
          },
        ),
        { seed: 17, numRuns: RUNS },
      );
      // The LP, not only the critical path, must carry the bound somewhere, or it tests nothing.
      expect(lpWins).toBeGreaterThan(0);
      expect(aggWins).toBeGreaterThan(0);
    },
    RUNS > 12 ? RUNS * 60_000 : 600_000,
  );

  it('on a timeshared mixed instance both stages share one lane row, and the bound rises', async () => {
    const sideBySide = withMixed(loadedScenario(1, 12), 'mixed');
    const shared = withMixed(loadedScenario(1, 12), 'mixed timeshare');
    const rows = (sc: Scenario) =>
      buildRealisticLp(sc, realisticFloors(sc), 1.3, 11).model.constraints.map((r) =>
        r.name.replace(/_\d+$/, ''),
      );
    const mixedGroup = realisticFloors(shared).groups.findIndex((g) => g.timeshare);
    expect(mixedGroup).toBeGreaterThanOrEqual(0);
    expect(rows(shared)).toContain(`gpu_lane_${mixedGroup}`);
    expect(rows(shared)).not.toContain(`pre_work_${mixedGroup}`);
    expect(rows(sideBySide)).toContain(`pre_work_${mixedGroup}`);
    expect(rows(sideBySide)).not.toContain(`gpu_lane_${mixedGroup}`);
    // Chunked prefill shares the GPU too (docs/bounds.md ingredient 9 covers both engines).
    expect(rows(withMixed(loadedScenario(1, 12), 'mixed chunked'))).toEqual(rows(shared));
    const lb = async (sc: Scenario) =>
      (await realisticLowerBound(sc, { quantile: 0.9, timeLimitS: 20 })).value;
    // Measured 1.3262 side by side against 1.4437 timeshared.
    expect(await lb(shared)).toBeGreaterThan((await lb(sideBySide)) * 1.05);
  });

  it('with a schedule above it, announces at most as many LP probes as it makes, ending on the count', async () => {
    for (const [seed, W, achieved] of [
      [3, 12, 1.3],
      [5, 14, 1.6],
      [8, 10, 3],
    ] as const) {
      const sc = loadedScenario(seed, W);
      const seen: [number, number][] = [];
      const lb = await realisticLowerBound(sc, {
        quantile: 0.9,
        timeLimitS: 20,
        achievedScale: achieved,
        onProbe: (done, atMost) => seen.push([done, atMost]),
      });
      // A probe is one k; it may take a coarse LP before the search's own grid.
      const probes = new Set(lb.solves.map((s) => s.k)).size;
      expect(seen.map(([d]) => d)).toEqual(Array.from({ length: probes }, (_, i) => i + 1));
      // Every announced limit holds for the rest of the search (unless the time budget ends it).
      for (const [, atMost] of seen) expect(atMost).toBeGreaterThanOrEqual(probes);
      if (probes > 0) expect(seen.at(-1)![1]).toBe(probes);
    }
  });

  it('never gives a smaller optimum on a coarser grid nested in a finer one (the floor lift tries 1, 3, then 12 intervals)', async () => {
    let strict = 0;
    for (const [seed, W, variant] of [
      [3, 12, 'as is'],
      [5, 14, 'mixed chunked'],
      [8, 16, 'mixed timeshare'],
    ] as const) {
      const sc = withMixed(loadedScenario(seed, W), variant);
      const floors = realisticFloors(sc);
      for (const k of [1.2, 1.5, 2]) {
        const optimum = async (intervals: number) => {
          const lp = buildRealisticLp(sc, floors, k, Math.ceil(0.9 * W), { intervals });
          const res = await solveModel(lp.model, { solver: 'highs', lpMethod: 'ipm' });
          expect(res.status).toBe('optimal');
          return res.objective!;
        };
        const [one, three, twelve] = [await optimum(1), await optimum(3), await optimum(12)];
        expect(one).toBeGreaterThanOrEqual(three - 1e-6 * W);
        expect(three).toBeGreaterThanOrEqual(twelve - 1e-6 * W);
        if (one > twelve + 0.01) strict++;
      }
    }
    // The grid must matter somewhere, or the comparison says nothing.
    expect(strict).toBeGreaterThan(0);
  }, 120_000);

  it('stays below the best of an exhaustive search over placements and priority orders (tiny instances)', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const sc = tinyScenario(seed, 3);
      const wl = compiledWorkload(sc.workload);
      const best = exhaustiveBest(sc, wl.calls);
      const lb = await realisticLowerBound(sc, { quantile: 1, timeLimitS: 20 });
      expect(lb.value).toBeLessThanOrEqual(best + slack(best));
    }
  }, 120_000);
});
