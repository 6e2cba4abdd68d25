import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { buildProvisionedCluster } from '../../src/provision/cluster.ts';
import { planContext } from '../../src/provision/context.ts';
import { costFloor, PRICE_UNIT } from '../../src/provision/floor.ts';
import { clustersCosting, liftFloor } from '../../src/provision/floorClusters.ts';
import { loadProvisionSetup, type ProvisionSetup } from '../../src/provision/offers.ts';
import { provision, provisionSweep } from '../../src/provision/provision.ts';
import { renderProvision } from '../../src/provision/render.ts';
import { explainRoles } from '../../src/provision/roles.ts';
import { sustainedLoad } from '../../src/provision/sustain.ts';
import { simulatedScaleIn } from '../../src/provision/verifyCluster.ts';
import { loadWorkload } from '../../src/scenario/documents.ts';
import type { Workload } from '../../src/schema/workload.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

const SMALL = new URL('../../instances/workloads/small.json', import.meta.url).pathname;
const small = loadWorkload(SMALL);
const setup = loadProvisionSetup();

afterEach(() => {
  vi.restoreAllMocks();
});

/** Seeded random workloads: family, size and rate drawn from one seed (contended: loads near 1). */
function randomWorkload(seed: number): Workload {
  const families = ['mixed', 'react', 'mapreduce'] as const;
  const family = families[seed % families.length]!;
  const workflows = 8 + ((seed * 7) % 5);
  const ratePerS = 0.5 + ((seed * 13) % 10) / 10;
  return generateWorkload({ family, workflows, seed, ratePerS }).workload;
}

// The old floor (per-call work shares over arrival × deadline cells) charged each decode
// sequence d0·max(1/slots, KV share) per step, which over a batch can exceed the step itself; on
// seed 17 it claimed $5.58/h while one H100 at $2.99/h verifies. These invariants catch that.
describe('provision answers', () => {
  for (const seed of [3, 17]) {
    it(`seed ${seed}: never dearer than a printed baseline that meets the target; floor ≤ every verified cost`, async () => {
      const w = randomWorkload(seed);
      const progress: string[] = [];
      const { report } = await provision(w, {
        quantile: 0.95,
        scale: 2,
        localSearchSimulations: 4,
        homogeneousSimulations: 6,
        onProgress: (message) => progress.push(message),
      });
      // The floor, the last phase, tells which LPs it solves and no simulation ETA.
      const floorStart = progress.findIndex((m) => m.endsWith('] cost floor (realistic-mode relaxation)'));
      expect(floorStart).toBeGreaterThan(0);
      expect(progress.slice(floorStart).some((m) => /\] cost floor: GPU sets? \S/.test(m))).toBe(true);
      for (const m of progress.slice(floorStart)) expect(m).not.toContain('ETA');
      expect(report.verified).toBe(true);
      expect(report.found_by).not.toBeNull();
      const verifiedCosts: number[] = [report.cost_per_hour];
      for (const h of report.homogeneous) {
        if (!h.meets_target) continue;
        expect(report.cost_per_hour).toBeLessThanOrEqual(h.cost_per_hour! + 1e-9);
        expect(report.savings_pct[h.gpu]!).toBeGreaterThanOrEqual(0);
        verifiedCosts.push(h.cost_per_hour!);
      }
      if (report.no_pd?.meets_target) {
        expect(report.cost_per_hour).toBeLessThanOrEqual(report.no_pd.cost_per_hour! + 1e-9);
        verifiedCosts.push(report.no_pd.cost_per_hour!);
      }
      for (const it of report.iterations) if (it.met) verifiedCosts.push(it.cost_per_hour);
      expect(report.cost_lower_bound).not.toBeNull();
      for (const c of verifiedCosts) expect(report.cost_lower_bound!).toBeLessThanOrEqual(c + 1e-9);
      expect(report.gap).toBeCloseTo(report.cost_per_hour / report.cost_lower_bound! - 1, 5);
    });
  }

  it('floor, and the floor lifted cluster by cluster, ≤ the cost of every cluster of up to two instances that verifies (exhaustive)', async () => {
    const w = randomWorkload(17);
    const ctx = planContext(w, setup, { quantile: 0.95 });
    const types = ctx.demand.table.types;
    const floor = await costFloor(ctx, { quantile: 0.95, scale: 2 });
    // The lift rules clusters out one by one from the floor up (src/provision/floorClusters.ts).
    const lifted = await liftFloor(ctx, floor.costPerHour, { quantile: 0.95, scale: 2, below: 1e9 });
    expect(lifted.costPerHour).toBeGreaterThanOrEqual(floor.costPerHour);

    const verifier = { mode: 'realistic' as const, policy: 'hexagent', quantile: 0.95 };
    let verified = 0;
    // b = −1: the single instance a alone (one H100 mixed verifies here: the old floor said $5.58).
    for (let a = 0; a < types.length; a++) {
      for (let b = -1; b < types.length; b++) {
        if (b >= 0 && b < a) continue;
        const counts = types.map((_, t) => (t === a ? 1 : 0) + (t === b ? 1 : 0));
        const canPrefill = types.some((t, i) => counts[i]! > 0 && t.canPrefill);
        const canDecode = types.some((t, i) => counts[i]! > 0 && t.canDecode);
        if (!canPrefill || !canDecode) continue;
        const cluster = buildProvisionedCluster(types, counts, setup);
        const scale = simulatedScaleIn(w, cluster, setup, verifier);
        const cost = counts.reduce((s, n, t) => s + n * types[t]!.costPerHour, 0);
        if (scale <= 2) {
          verified++;
          expect(cost).toBeGreaterThanOrEqual(lifted.costPerHour - 1e-9);
        }
      }
    }
    expect(verified).toBeGreaterThan(0);
  });

  it('the lift rules far-off clusters out on coarse grids first, within its allowance, and never past one that verifies', async () => {
    const w = generateWorkload({ family: 'mixed', workflows: 60, seed: 1, ratePerS: 4 }).workload;
    const ctx = planContext(w, setup, { quantile: 0.95 });
    const types = ctx.demand.table.types;
    // From the cheapest price up, below the relaxation's own floor: the clusters there are far
    // from meeting the target, which the 1-interval LP should see.
    const cheapest = Math.min(...types.map((t) => t.costPerHour));
    const lifted = await liftFloor(ctx, cheapest, { quantile: 0.95, scale: 2, below: 1e9 });
    expect(lifted.ruledOutBy.lp1 ?? 0).toBeGreaterThan(0);
    expect(Object.values(lifted.ruledOutBy).reduce((a: number, b) => a + (b ?? 0), 0)).toBe(lifted.ruledOut);
    expect(lifted.lpsSpent).toBeLessThanOrEqual(lifted.maxLps);
    // A cost held by more clusters than the lift may try is not started on (no LP spent there).
    const dense = 66.92;
    expect(clustersCosting(ctx, Math.round(dense * PRICE_UNIT)).length).toBeGreaterThan(48);
    const stopped = await liftFloor(ctx, dense, { quantile: 0.95, scale: 2, below: 1e9 });
    expect(stopped).toMatchObject({ costPerHour: dense, ruledOut: 0, lpsSpent: 0 });
    expect(stopped.stop).toBe('more clusters at one cost than the lift may try');
    const verifier = { mode: 'realistic' as const, policy: 'hexagent', quantile: 0.95 };
    for (let a = 0; a < types.length; a++)
      for (let b = a; b < types.length; b++) {
        const counts = types.map((_, t) => (t === a ? 1 : 0) + (t === b ? 1 : 0));
        const cost = counts.reduce((s, n, t) => s + n * types[t]!.costPerHour, 0);
        if (cost >= lifted.costPerHour - 1e-9) continue;
        if (!types.some((t, i) => counts[i]! > 0 && t.canPrefill)) continue;
        if (!types.some((t, i) => counts[i]! > 0 && t.canDecode)) continue;
        const scale = simulatedScaleIn(w, buildProvisionedCluster(types, counts, setup), setup, verifier);
        expect(scale).toBeGreaterThan(2);
      }
  }, 120_000);

  it('keeps availability limits binding on the answer and the baselines', async () => {
    const limited: ProvisionSetup = {
      ...setup,
      gpus: setup.gpus.map((g) => (g.name === 'H100-SXM5-80GB' ? { ...g, availableGpus: 1 } : g)),
    };
    const { report } = await provision(small, {
      setup: limited,
      quantile: 0.95,
      scale: 2,
      localSearchSimulations: 3,
      homogeneousSimulations: 6,
    });
    const h100 = report.counts['H100-SXM5-80GB'];
    const used = h100 ? Object.values(h100).reduce((a, b) => a + b, 0) : 0;
    expect(used).toBeLessThanOrEqual(1);
    const hom = report.homogeneous.find((h) => h.gpu === 'H100-SXM5-80GB')!;
    expect(hom.gpus ?? 0).toBeLessThanOrEqual(1);
  });

  it('--mixed-timeshare: every cluster it builds timeshares, and the floor on mixed instances is no lower', async () => {
    const mixedOnly: ProvisionSetup = { ...setup, roles: ['mixed'] };
    const run = (mixedTimeShare: boolean) =>
      provision(small, {
        setup: mixedOnly,
        quantile: 0.95,
        scale: 1.5,
        mixedTimeShare,
        baselines: false,
        localSearchSimulations: 3,
      });
    const [apart, shared] = [await run(false), await run(true)];
    expect(apart.cluster.mixed_timeshare).toBeUndefined();
    expect(shared.cluster.mixed_timeshare).toBe(true);
    expect(shared.report.verified).toBe(true);
    // One GPU for both stages only constrains the relaxation more (docs/bounds.md, ingredient 9).
    expect(shared.report.cost_lower_bound!).toBeGreaterThanOrEqual(apart.report.cost_lower_bound!);
  });

  it('explains the P:D ratio and roles in one line', () => {
    const ctx = planContext(small, setup);
    const types = ctx.demand.table.types;
    const counts = types.map((t) =>
      t.gpu === 'H100-SXM5-80GB' && t.role === 'prefill'
        ? 2
        : t.gpu === 'A100-SXM4-80GB' && t.role === 'decode'
          ? 3
          : 0,
    );
    const line = explainRoles(types, counts);
    expect(line).toMatch(/^P:D 2:3: prefill .* on 2× h100; decode .* on 3× a100 tp2$/);
    expect(line).not.toContain('\n');
  });

  it('max-rate stays within the budget, and a rate ceiling, when proven, is above the verified load', async () => {
    const { report } = await provision(small, {
      quantile: 0.95,
      scale: 2,
      objective: 'max-rate',
      budgetPerHour: 3,
      maxIterations: 3,
    });
    expect(report.verified).toBe(true);
    // On this light trace (8 workflows) the floor proves no ceiling below 16× the verified
    // load (a burst of 8 fits one H100 in the relaxation): null says so; any ceiling given must
    // stand above the load a cluster within the budget verified.
    if (report.rate_upper_bound !== null)
      expect(report.rate_upper_bound).toBeGreaterThanOrEqual(report.sustained_rate_multiplier - 1e-9);
    expect(report.sustained_rate_multiplier).toBeGreaterThan(0);
    expect(report.cost_per_hour).toBeLessThanOrEqual(3 + 1e-9);
    // Verified at the load it sustains: no "cheapest of the verified clusters" claim.
    const text = renderProvision(report);
    expect(text).toMatch(/\nfound by [a-z:-]+ \(\d+ simulated\)/);
    expect(text).not.toContain('the cheapest of');
  });
});

describe('sustained load', () => {
  it('tiles the compressed workload to the horizon and says when it is a burst', () => {
    const span =
      Math.max(...small.workflows.map((w) => w.arrival_s)) -
      Math.min(...small.workflows.map((w) => w.arrival_s));
    const s = sustainedLoad(small, 4, span);
    expect(s.shape.kind).toBe('sustained');
    expect(s.shape.copies).toBeGreaterThanOrEqual(4);
    expect(s.shape.arrivals_span_s).toBeGreaterThanOrEqual(span - 1e-9);
    expect(new Set(s.workload.workflows.map((w) => w.id)).size).toBe(s.workload.workflows.length);
    const b = sustainedLoad(small, 4, null);
    expect(b.shape).toMatchObject({ kind: 'burst', copies: 1, workflows: small.workflows.length });
  });

  it('a sweep keeps the horizon, so cost grows with sustained load', async () => {
    const points = await provisionSweep(small, [1, 4], {
      quantile: 0.95,
      scale: 2,
      floor: false,
      localSearchSimulations: 5,
    });
    expect(points.map((p) => p.load.kind)).toEqual(['trace', 'sustained']);
    expect(points[1]!.load.workflows).toBeGreaterThanOrEqual(4 * small.workflows.length - 1);
    expect(points.every((p) => p.verified)).toBe(true);
    expect(points[1]!.cost_per_hour!).toBeGreaterThan(points[0]!.cost_per_hour!);
  });

  it('refuses --cluster-out with --sweep-rates', async () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    const code = await main([
      'provision',
      '-w',
      SMALL,
      '--sweep-rates',
      '1,2',
      '--cluster-out',
      '/tmp/x.json',
    ]);
    expect(code).not.toBe(0);
    expect(err.join('')).toMatch(/--cluster-out: not with --sweep-rates/);
  });
});
