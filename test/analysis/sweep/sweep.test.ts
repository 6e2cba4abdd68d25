import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runRealisticGap } from '../../../src/analysis/realisticGap.ts';
import { gridCells } from '../../../src/analysis/sweep/cells.ts';
import { loadGrid } from '../../../src/analysis/sweep/grid.ts';
import { runInWorkers } from '../../../src/analysis/sweep/pool.ts';
import { parseShard } from '../../../src/analysis/sweep/shard.ts';
import { runSweep } from '../../../src/analysis/sweep/sweep.ts';
import { main } from '../../../src/cli/main.ts';
import { HexplanError } from '../../../src/errors.ts';
import { loadScenario } from '../../../src/scenario/scenario.ts';
import { simulate } from '../../../src/sim/simulate.ts';
import { captureCliOutput, runCli } from '../../helpers/cliOutput.ts';

const GRID = 'test/fixtures/sweep/grid.json';
const tmp = () => mkdtempSync(join(tmpdir(), 'hexplan-sweep-'));
const read = (f: string) => readFileSync(f, 'utf8');
const parse = (f: string) =>
  read(f)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('runSweep', () => {
  it('writes one line per combination in grid order, with the simulator metrics', async () => {
    const out = join(tmp(), 'r.jsonl');
    const s = await runSweep(GRID, out);
    expect(s).toEqual({
      runs: 4,
      skipped: 0,
      written: 4,
      output: out,
      timings_file: out.replace(/\.jsonl$/, '.timings.jsonl'),
    });
    const lines = parse(out);
    expect(lines.map((l) => `${l.policy}/${l.mode}`)).toEqual([
      'hexagent/exact',
      'hexagent/realistic',
      'fcfs/exact',
      'fcfs/realistic',
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(4);
    const direct = simulate(
      loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json'),
      'fcfs',
      { mode: 'realistic' },
    ).metrics;
    const l = lines[3];
    expect([l.workflows, l.calls, l.p50, l.p95, l.p99, l.mean, l.makespan_s]).toEqual([
      direct.workflows,
      direct.calls,
      direct.p50,
      direct.p95,
      direct.p99,
      direct.mean,
      direct.makespan_s,
    ]);
    expect(Object.keys(l.required)).toEqual(['0.95', '0.99']);
    // 3 workflows: ⌈0.95·3⌉ = 3rd smallest = the maximum scale.
    expect(l.required['0.95']).toBe(direct.max);
    expect(lines[0].p50).not.toBe(lines[2].p50);
  });

  it('resumes: skips complete lines, reruns the deleted last line and a cut middle line', async () => {
    const out = join(tmp(), 'r.jsonl');
    await runSweep(GRID, out);
    const full = read(out);
    expect(await runSweep(GRID, out)).toMatchObject({ skipped: 4, written: 0 });
    expect(read(out)).toBe(full);

    const lines = full.trimEnd().split('\n');
    lines[1] = lines[1]!.slice(0, 40);
    writeFileSync(out, `${lines.slice(0, 3).join('\n')}\n`);
    const onStart = vi.fn();
    expect(await runSweep(GRID, out, { onStart })).toMatchObject({ skipped: 2, written: 2 });
    expect(onStart).toHaveBeenCalledWith({ runs: 4, skipped: 2, dropped: 1, stale: 0, todo: 2 });
    expect(read(out)).toBe(full);
  });

  it('a crash mid-append (last line without its newline) reruns just that line', async () => {
    const out = join(tmp(), 'r.jsonl');
    await runSweep(GRID, out);
    const full = read(out);
    writeFileSync(out, full.slice(0, full.length - 30));
    expect(await runSweep(GRID, out)).toMatchObject({ skipped: 3, written: 1 });
    expect(read(out)).toBe(full);
  });

  it('drops lines whose key is not in the grid', async () => {
    const out = join(tmp(), 'r.jsonl');
    await runSweep(GRID, out);
    const full = read(out);
    writeFileSync(out, `{"key":"other|grid"}\n${full}`);
    expect(await runSweep(GRID, out)).toMatchObject({ skipped: 4, written: 0 });
    expect(read(out)).toBe(full);
  });

  it('the same bytes with 1 and 2 worker threads, also when resuming', async () => {
    const dir = tmp();
    const one = join(dir, 'one.jsonl');
    const two = join(dir, 'two.jsonl');
    await runSweep(GRID, one, { workers: 1 });
    expect(await runSweep(GRID, two, { workers: 2 })).toMatchObject({ written: 4 });
    expect(read(two)).toBe(read(one));
    writeFileSync(two, read(one).split('\n').slice(1).join('\n'));
    expect(await runSweep(GRID, two, { workers: 2 })).toMatchObject({ skipped: 3, written: 1 });
    expect(read(two)).toBe(read(one));
  }, 20_000);

  it('a run failing in a worker rejects with its HexplanError', async () => {
    const [combo] = gridCells(loadGrid(GRID));
    const bad = { ...combo!, workloadPath: 'test/fixtures/sweep/gone.json' };
    const lines: number[] = [];
    const run = runInWorkers([combo!, bad], 2, (i) => lines.push(i));
    await expect(run).rejects.toBeInstanceOf(HexplanError);
    await expect(run).rejects.toThrow(/gone\.json: \(file\): no such file/);
  }, 20_000);

  it('rate multipliers compress arrivals (arrival_s / m)', async () => {
    const dir = tmp();
    const grid = join(dir, 'g.json');
    writeFileSync(
      grid,
      JSON.stringify({
        schema: 'hexplan/grid@1',
        workloads: [resolve('instances/workloads/tiny.json')],
        clusters: [resolve('instances/clusters/hetero-4.json')],
        policies: ['fcfs'],
        rate_multipliers: [1, 4],
        quantiles: [0.5],
      }),
    );
    const out = join(dir, 'r.jsonl');
    await runSweep(grid, out);
    const [x1, x4] = parse(out);
    expect([x1.rate_multiplier, x4.rate_multiplier]).toEqual([1, 4]);
    expect(x1.key).not.toBe(x4.key);
    expect(x4.makespan_s).toBeLessThan(x1.makespan_s);
    expect(Object.keys(x4.required)).toEqual(['0.5']);
  });

  it('bad grids are HexplanErrors naming the file and field', async () => {
    const out = join(tmp(), 'r.jsonl');
    const bad = runSweep('test/fixtures/sweep/bad-grid.json', out);
    await expect(bad).rejects.toBeInstanceOf(HexplanError);
    await expect(bad).rejects.toThrow(/bad-grid\.json: workloads\[1\]: no such file/);
    await expect(bad).rejects.toThrow(/bad-grid\.json: policies\[1\]: unknown policy "nope"/);
    await expect(bad).rejects.toThrow(/policies\[2\]: replay needs a plan/);
    await expect(runSweep('test/fixtures/sweep/bad-shape.json', out)).rejects.toThrow(
      /bad-shape\.json: modes\[0\]: .*\n.*bad-shape\.json: rate_multipliers\[0\]/,
    );
    await expect(runSweep(GRID, out, { workers: 0 })).rejects.toThrow(/workers: expected a positive integer/);
  });
});

describe('hexplan sweep', () => {
  const io = captureCliOutput();

  it('prints a summary, --json, and says how many were skipped', async () => {
    const out = join(tmp(), 'r.jsonl');
    expect(await main(['sweep', '--grid', GRID, '-o', out])).toBe(0);
    expect(io.out).toMatch(/4 runs: 0 skipped as done, 4 written/);
    io.out = '';
    expect(await main(['sweep', '--grid', GRID, '-o', out, '--json'])).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      schema: 'hexplan/sweep-result@1',
      interrupted: false,
      runs: 4,
      skipped: 4,
      written: 0,
      output: out,
      timings_file: out.replace(/\.jsonl$/, '.timings.jsonl'),
    });
    expect(io.err).toMatch(/4 skipped as done/);
  });

  it('a bad grid is a message and exit 1, not a stack trace', async () => {
    const code = await main(['sweep', '--grid', 'test/fixtures/sweep/bad-grid.json', '-o', 'x.jsonl']);
    expect(code).toBe(1);
    expect(io.err).toMatch(/^error: test\/fixtures\/sweep\/bad-grid\.json: workloads\[1\]/m);
    expect(io.err).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('cells of every kind and shards', () => {
  const CELLS = 'test/fixtures/sweep/cells-grid.json';

  it('simulate (with policy options), gap and provision cells, each recorded with inputs and version', async () => {
    const out = join(tmp(), 'r.jsonl');
    expect(await runSweep(CELLS, out)).toMatchObject({ runs: 8, written: 8 });
    const lines = parse(out);
    expect(lines.map((l) => l.kind)).toEqual([
      ...Array(4).fill('simulate'),
      'gap',
      'gap',
      'provision',
      'provision',
    ]);
    const [hex, , fcfs] = lines;
    expect(hex.key).toMatch(/\|hexagent\|exact\|x1\|\{"k_target":3\}$/);
    expect(hex.policy_options).toEqual({ k_target: 3 });
    expect(fcfs.key).toMatch(/\|fcfs\|exact\|x1$/);
    // The options reach the policy: k_target 3 is not the default 2.
    const direct = simulate(
      loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json'),
      'hexagent',
      { policyOptions: { k_target: 3 } },
    );
    expect(hex.p95).toBe(direct.metrics.p95);
    expect(hex.attainment_scales).toHaveLength(100);
    expect(hex.attainment_scales.at(-1)).toBe(direct.metrics.max);
    expect(Object.keys(hex.by_gpu).length).toBeGreaterThan(1);
    const gap = lines[4];
    expect(gap.lower_bound).toBeLessThanOrEqual(gap.upper_bound + 1e-9);
    expect(gap.policies.length).toBeGreaterThan(1);
    // A gap section without a mode runs in realistic mode, the realistic bracket's own fields.
    expect(gap.mode).toBe('realistic');
    expect(gap.seed).toBe(1);
    expect(gap.lower_bound_source).toMatch(/^realistic-(lp|critical-path)$/);
    expect(gap.upper_bound_source).toMatch(/^(policy|search):/);
    const again = await runRealisticGap(
      loadScenario('instances/workloads/tiny.json', 'instances/clusters/hetero-4.json'),
      { quantile: 0.95, solver: 'highs', timeLimitS: 5, seed: 1 },
    );
    expect(gap.lower_bound).toBe(again.optimum.lower_bound);
    expect(gap.upper_bound).toBe(again.optimum.upper_bound);
    expect(gap.policies).toEqual(again.policies);
    const prov = lines[6];
    expect(prov.verified).toBe(true);
    expect(prov.cost_per_hour).toBeGreaterThanOrEqual(prov.lp_cost_per_hour);
    for (const l of lines) {
      expect(l.version).toBe(JSON.parse(read('package.json')).version);
      expect(l.inputs.workload).toMatch(/^[0-9a-f]{64}$/);
    }
    const timings = read(out.replace(/\.jsonl$/, '.timings.jsonl'))
      .trimEnd()
      .split('\n');
    expect(timings.map((t) => JSON.parse(t).key)).toEqual(lines.map((l) => l.key));
  }, 60_000);

  it('shards 1/3, 2/3, 3/3 concatenate into the file one run writes', async () => {
    const dir = tmp();
    await runSweep(CELLS, join(dir, 'all.jsonl'));
    let joined = '';
    for (let i = 1; i <= 3; i++) {
      const f = join(dir, `part-${i}.jsonl`);
      const s = await runSweep(CELLS, f, { shard: { index: i, count: 3 } });
      expect(s.runs).toBeGreaterThanOrEqual(2);
      joined += read(f);
    }
    // Gap and provision lines hold no timings, so even they are byte-identical run to run.
    expect(joined).toBe(read(join(dir, 'all.jsonl')));
    expect(() => parseShard('shard', '4/3')).toThrow(/^shard: expected i\/n/);
    expect(() => parseShard('shard', 'x')).toThrow(HexplanError);
  }, 60_000);

  /** A grid on the tiny workload and hetero-4 with these fields, in a fresh directory. */
  const tinyGrid = (fields: Record<string, unknown>) => {
    const f = join(tmp(), 'g.json');
    writeFileSync(
      f,
      JSON.stringify({
        schema: 'hexplan/grid@1',
        workloads: [resolve('instances/workloads/tiny.json')],
        clusters: [resolve('instances/clusters/hetero-4.json')],
        ...fields,
      }),
    );
    return f;
  };

  it('rejects options for a policy not in the grid, and takes gap cells in either mode', () => {
    const f = tinyGrid({
      policies: ['fcfs'],
      policy_options: { edf: { k_target: 2 } },
      gap: { mode: 'realistic' },
    });
    expect(() => loadGrid(f)).toThrow(/g\.json: policy_options\.edf: "edf" is not in policies/);
    // Both modes have bounds of their own: neither is refused.
    expect(() => loadGrid(f)).not.toThrow(/gap\.mode/);
  });

  it('a provision section may set mixed_timeshare; without the field its cell keys stay as they were', async () => {
    const run = async (provision: Record<string, unknown>) => {
      const f = tinyGrid({ policies: [], provision });
      const out = join(f, '..', 'r.jsonl');
      await runSweep(f, out);
      return parse(out)[0];
    };
    const plain = await run({ scale: 2 });
    expect(plain.key).toMatch(
      /^provision\|.*tiny\.json\|x1\|\{"baselines":false,"quantile":0\.95,"scale":2\}$/,
    );
    // Without the field, the catalog's choice (the bundled one: chunked prefill).
    expect(plain.mixed_timeshare).toBe('chunked');
    const apart = await run({ scale: 2, mixed_timeshare: false });
    expect(apart.key).toContain('"mixed_timeshare":false');
    expect(apart.mixed_timeshare).toBe(false);
    const shared = await run({ scale: 2, mixed_timeshare: true });
    expect(shared.key).toContain('"mixed_timeshare":true');
    expect(shared.mixed_timeshare).toBe(true);
    const chunked = await run({ scale: 2, mixed_timeshare: 'chunked' });
    expect(chunked.key).toContain('"mixed_timeshare":"chunked"');
    expect(chunked.mixed_timeshare).toBe('chunked');
  }, 60_000);

  it('runs a provision cell again when its line ran with another mixed_timeshare than the catalog now gives', async () => {
    const f = tinyGrid({ policies: [], provision: { scale: 2 } });
    const out = join(f, '..', 'r.jsonl');
    await runSweep(f, out);
    const fresh = readFileSync(out, 'utf8');
    const onStart = vi.fn();
    await runSweep(f, out, { onStart });
    expect(onStart).toHaveBeenLastCalledWith(expect.objectContaining({ skipped: 1, stale: 0, todo: 0 }));
    // An older file: the same key, simulated side by side (or from before the field was recorded).
    for (const older of [{ mixed_timeshare: false }, {}]) {
      const { mixed_timeshare: _, ...rest } = JSON.parse(fresh) as Record<string, unknown>;
      writeFileSync(out, `${JSON.stringify({ ...rest, ...older })}\n`);
      await runSweep(f, out, { onStart });
      expect(onStart).toHaveBeenLastCalledWith(expect.objectContaining({ skipped: 0, stale: 1, todo: 1 }));
      expect(readFileSync(out, 'utf8')).toBe(fresh);
    }
  }, 60_000);

  it('an exact-mode gap section runs the exact ILP/oracle path', async () => {
    const f = tinyGrid({ policies: [], gap: { mode: 'exact', time_limit_s: 5 } });
    const out = join(f, '..', 'r.jsonl');
    await runSweep(f, out);
    const [line] = parse(out);
    expect(line.mode).toBe('exact');
    expect(line.seed).toBeUndefined();
    expect(line.policies[0].verified).toBeTypeOf('boolean');
  }, 60_000);
});

describe('generated workloads in a grid', () => {
  const cluster = resolve('instances/clusters/hetero-4.json');
  const grid = (dir: string, value: Record<string, unknown>) => {
    const file = join(dir, 'grid.json');
    writeFileSync(
      file,
      JSON.stringify({
        schema: 'hexplan/grid@1',
        workloads: [{ name: 'chat', generate: { family: 'chat', workflows_per_instance: 3, seed: 4 } }],
        clusters: [cluster],
        policies: ['edf'],
        rate_multipliers: [0.5, 1],
        ...value,
      }),
    );
    return file;
  };

  it('generates the workload for the cluster at load × m, as `hexplan gen --load` does, and records how', async () => {
    const dir = tmp();
    const out = join(dir, 'r.jsonl');
    await runSweep(grid(dir, {}), out);
    const lines = parse(out);
    expect(lines.map((l) => [l.workload, l.rate_multiplier, l.workflows])).toEqual([
      ['chat', 0.5, 12],
      ['chat', 1, 12],
    ]);
    expect(lines[0].workload_generated).toEqual({
      family: 'chat',
      workflows_per_instance: 3,
      seed: 4,
      load: 1,
    });
    expect(Object.keys(lines[0].inputs)).toEqual(['cluster']);
    expect(lines[0].key).toContain('"seed":4');
    const gen = join(dir, 'gen.json');
    const made = await runCli([
      'gen',
      '--family',
      'chat',
      '--workflows',
      '12',
      '--seed',
      '4',
      '--load',
      '0.5',
      '-c',
      cluster,
      '-o',
      gen,
    ]);
    expect(made.code, made.err).toBe(0);
    const direct = simulate(loadScenario(gen, cluster), 'edf', { mode: 'exact' }).metrics;
    expect([lines[0].p95, lines[0].p99, lines[0].makespan_s]).toEqual([
      direct.p95,
      direct.p99,
      direct.makespan_s,
    ]);
  });

  it('refuses an unknown family, duplicate names and provision cells on a generated workload', () => {
    const dir = tmp();
    const file = grid(dir, {
      workloads: [
        { name: 'a', generate: { family: 'poem', workflows_per_instance: 3 } },
        { name: 'a', generate: { family: 'chat', workflows_per_instance: 3 } },
      ],
      provision: { scale: 2 },
    });
    let message = '';
    try {
      loadGrid(file);
    } catch (e) {
      expect(e).toBeInstanceOf(HexplanError);
      message = (e as Error).message;
    }
    expect(message).toContain('workloads[0].generate.family: unknown family "poem"');
    expect(message).toContain('workloads[1]: duplicate entry "a"');
    expect(message).toContain('provision: provision cells need workload files');
  });
});
