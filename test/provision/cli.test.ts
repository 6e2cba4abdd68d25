import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { planContext } from '../../src/provision/context.ts';
import { nextAchievableCost } from '../../src/provision/floor.ts';
import { loadProvisionSetup } from '../../src/provision/offers.ts';
import { loadWorkload } from '../../src/scenario/documents.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import { FinishedProvisionResult, InterruptedProvisionResult } from '../../src/schema/results/provision.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';

const SMALL = 'instances/workloads/small.json';
const FAST = [
  '--scale',
  '2',
  '--local-search',
  '2',
  '--homogeneous-simulations',
  '4',
  '--max-iterations',
  '2',
];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('provision on the command line', () => {
  it('--csv has one row per simulated cluster and baseline; -o holds the result, not interrupted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-provision-'));
    const csv = join(dir, 'c.csv');
    const out = join(dir, 'r.json');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['provision', '-w', SMALL, ...FAST, '--quiet', '--csv', csv, '-o', out]);
    expect(code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'label,gpus,roles,cost_per_hour,simulated_scale,realistic_scale,meets_target,found_by',
    );
    const labels = lines.slice(1).map((l) => l.split(',')[0]);
    expect(labels[0]).toBe('answer');
    expect(labels).toContain('homogeneous:H100-SXM5-80GB');
    expect(labels).toContain('simulated');
    const r = FinishedProvisionResult.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(r).toMatchObject({ schema: 'hexplan/provision-result@1', interrupted: false, verified: true });
    const floor = r.cost_lower_bound!;
    expect(floor).toBeLessThanOrEqual(r.cost_per_hour);
    // Every simulated cluster that met the target costs at least the floor.
    for (const l of lines.slice(1)) {
      const cells = l.match(/("[^"]*"|[^,]+)/g)!;
      if (cells[6] === 'true') expect(Number(cells[3])).toBeGreaterThanOrEqual(floor - 1e-9);
    }
  });

  it("says how mixed instances were simulated, and --cluster-out carries the catalog's or the flag's choice", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-provision-'));
    const catalog = join(dir, 'mixed-only.json');
    const doc = JSON.parse(readFileSync('models/catalog-provision.json', 'utf8'));
    writeFileSync(catalog, JSON.stringify({ ...doc, roles: ['mixed'] }));
    const run = async (...extra: string[]) => {
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
        out += String(s);
        return true;
      });
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const clusterOut = join(dir, `c${extra.length}.json`);
      const code = await main([
        'provision',
        '-w',
        SMALL,
        ...FAST,
        '--quiet',
        '--catalog',
        catalog,
        '--cluster-out',
        clusterOut,
        ...extra,
      ]);
      vi.restoreAllMocks();
      expect(code).toBe(0);
      return { out, cluster: JSON.parse(readFileSync(clusterOut, 'utf8')) };
    };
    // The bundled catalog (copied here) shares the GPU by chunked prefill.
    const chunked = await run();
    expect(chunked.out).toContain('time-share one GPU by chunked prefill');
    expect(chunked.cluster.mixed_timeshare).toBe('chunked');
    expect(chunked.out).not.toContain('with chunked prefill on its mixed instances');
    // Side by side on request, and then it says what the same cluster does with chunked prefill.
    const apart = await run('--no-mixed-timeshare');
    expect(apart.out).toContain('mixed instances: prefill and decode simulated side by side');
    expect(apart.cluster.mixed_timeshare).toBeUndefined();
    const chunkedRun = simulate(
      makeScenario(loadWorkload(SMALL), Cluster.parse({ ...apart.cluster, mixed_timeshare: 'chunked' })),
      'hexagent',
      { mode: 'realistic' },
    );
    expect(apart.out).toContain(
      `with chunked prefill on its mixed instances (a colocating engine, --chunked-prefill): realistic ${requiredScale(chunkedRun.scales, 0.95).toFixed(3)}`,
    );
    // --mixed-timeshare is whole batches first, whatever the catalog; so is --no-chunked-prefill.
    const shared = await run('--mixed-timeshare');
    expect(shared.out).toContain(
      'mixed instances: prefill and decode time-share one GPU, whole prefill batches first',
    );
    expect(shared.cluster.mixed_timeshare).toBe(true);
    expect((await run('--no-chunked-prefill')).cluster.mixed_timeshare).toBe(true);
    // Exact mode keeps its side-by-side lanes whatever the catalog, and says so.
    expect((await run('--mode', 'exact')).out).toContain(
      'mixed instances: exact mode runs prefill and decode side by side',
    );
    // A catalog that runs them side by side is the default of its runs; the flags override it.
    writeFileSync(catalog, JSON.stringify({ ...doc, roles: ['mixed'], mixed_timeshare: false }));
    expect((await run()).cluster.mixed_timeshare).toBeUndefined();
    expect((await run('--no-chunked-prefill')).cluster.mixed_timeshare).toBeUndefined();
    expect((await run('--chunked-prefill')).cluster.mixed_timeshare).toBe('chunked');
    // A catalog that timeshares whole batches: --no-mixed-timeshare and --chunked-prefill override it.
    writeFileSync(catalog, JSON.stringify({ ...doc, roles: ['mixed'], mixed_timeshare: true }));
    expect((await run()).cluster.mixed_timeshare).toBe(true);
    expect((await run('--no-mixed-timeshare')).cluster.mixed_timeshare).toBeUndefined();
    expect((await run('--chunked-prefill')).cluster.mixed_timeshare).toBe('chunked');
  });

  it('refuses --chunked-prefill with --no-mixed-timeshare, naming both', async () => {
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err += String(s);
      return true;
    });
    const code = await main(['provision', '-w', SMALL, ...FAST, '--chunked-prefill', '--no-mixed-timeshare']);
    vi.restoreAllMocks();
    expect(code).not.toBe(0);
    expect(err).toContain('--chunked-prefill');
    expect(err).toContain('--no-mixed-timeshare');
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('SIGTERM after a verified cluster writes it to -o, marked interrupted, and exits 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-provision-'));
    const out = join(dir, 'r.json');
    const cluster = join(dir, 'c.json');
    const p = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/dev.ts',
        'provision',
        '-w',
        SMALL,
        '--scale',
        '2',
        '-o',
        out,
        '--cluster-out',
        cluster,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    const done = new Promise<number | null>((resolve) => p.once('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      p.stderr!.on('data', (d) => {
        err += d;
        if (/best verified so far/.test(err)) resolve();
      });
      p.once('exit', () => resolve());
    });
    p.kill('SIGTERM');
    expect(await done).toBe(143);
    expect(err).toMatch(/interrupted \(SIGTERM\); best result so far written to/);
    const r = InterruptedProvisionResult.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(r).toMatchObject({ schema: 'hexplan/provision-result@1', interrupted: true, verified: true });
    expect(r.best!.cost_per_hour).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(cluster, 'utf8')).instances.length).toBeGreaterThan(0);
  });

  it('a target no GPU reaches ends with the reason and no file, instead of doubling clusters on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-provision-'));
    const out = join(dir, 'r.json');
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    // Every homogeneous baseline used to double its size without end here (4,482 instances
    // after 24 s, 17,928 after 453 s); a doubling that leaves the scale where it was now ends it.
    const code = await main(['provision', '-w', SMALL, '--scale', '1.0001', '--quiet', '-o', out]);
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/no GPU mix can meet scale 1\.0001/);
    expect(() => readFileSync(out)).toThrow();
  }, 60_000);

  it('refuses a bad value before any work, naming the flag', async () => {
    const err: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      err.push(String(s));
      return true;
    });
    expect(await main(['provision', '-w', SMALL, '--scale', '0.5'])).toBe(2);
    expect(err.join('')).toMatch(/--scale: .*below 1/);
  });
});

describe('the floor rounds up to what catalog prices add up to', () => {
  it('one instance of each GPU of the set, the least sum at or above the LP value', () => {
    const setup = loadProvisionSetup();
    const ctx = planContext(loadWorkload(SMALL), setup);
    // H100 instances cost $2.99/h whatever the role: 2.99, 5.98, 8.97, …
    expect(nextAchievableCost(ctx, ['H100-SXM5-80GB'], 0.5)).toBeCloseTo(2.99, 9);
    expect(nextAchievableCost(ctx, ['H100-SXM5-80GB'], 3.2)).toBeCloseTo(5.98, 9);
    expect(nextAchievableCost(ctx, ['H100-SXM5-80GB'], 5.98)).toBeCloseTo(5.98, 9);
    // A100 prefill (tp 1) $1.79 and decode/mixed (tp 2) $3.58; with H100 at least one of each.
    expect(nextAchievableCost(ctx, ['A100-SXM4-80GB', 'H100-SXM5-80GB'], 0)).toBeCloseTo(4.78, 9);
    expect(nextAchievableCost(ctx, ['A100-SXM4-80GB', 'H100-SXM5-80GB'], 5)).toBeCloseTo(6.57, 9);
  });
});
