import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONLINE_POLICY_NAMES } from '../../src/policy/registry.ts';
import { InterruptedGapResult } from '../../src/schema/results/gap.ts';
import { InterruptedSweepResult } from '../../src/schema/results/sweep.ts';

/**
 * Ctrl-C on the compiled CLI (dist/, built by `npm test` and `npm ci`): the best verified result
 * so far is written atomically, marked interrupted, and the exit code says which signal.
 */
const BIN = resolve('bin/hexplan.js');
const dir = mkdtempSync(join(tmpdir(), 'hexplan-interrupt-'));

interface Run {
  child: ChildProcess;
  err: () => string;
  out: () => string;
  done: Promise<number | null>;
}

function start(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += String(d);
  });
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  const done = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, err: () => err, out: () => out, done };
}

async function until(what: string, ready: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!ready()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('interrupts on the compiled CLI', () => {
  it('gap: SIGINT during the ILP writes the bracket so far, marked interrupted, exit 130', async () => {
    const output = join(dir, 'gap.json');
    const csv = join(dir, 'gap.csv');
    const run = start([
      ...['gap', '--mode', 'exact', '--ilp', 'on', '--time-limit', '300'],
      ...['-w', 'instances/workloads/medium.json', '-o', output, '--csv', csv],
    ]);
    await until('the ILP phase', () => /solving the placement ILP/.test(run.err()), 120_000);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
    expect(run.err()).toMatch(/interrupted \(SIGINT\); best result so far written to .*gap\.json/);
    const saved = JSON.parse(readFileSync(output, 'utf8'));
    expect(saved.schema).toBe('hexplan/gap-result@1');
    expect(InterruptedGapResult.parse(saved).interrupted).toBe(true);
    expect(saved.optimum.status).toBe('interrupted');
    // Only verified bounds: a valid cheap lower bound under the best verified policy's scale.
    expect(saved.optimum.lower_bound).toBeLessThanOrEqual(saved.optimum.upper_bound);
    expect(saved.optimum.upper_bound_source).toMatch(/^policy:/);
    expect(saved.policies.length).toBeGreaterThan(1);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^workload,cluster,mode,quantile,policy,scale,/);
    expect(rows.slice(1).every((r) => r.endsWith(',interrupted'))).toBe(true);
  }, 180_000);

  it('gap: SIGINT while the policies are simulated keeps the ones done, and exits at once', async () => {
    const output = join(dir, 'gap-policies.json');
    const run = start([
      ...['gap', '-w', 'instances/workloads/large.json', '-c', 'instances/clusters/hetero-32.json'],
      ...['-o', output],
    ]);
    // The second policy's simulation has begun: the first one's result is held.
    await until('the second policy', () => (run.err().match(/gap: simulating /g) ?? []).length >= 2, 120_000);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
    const saved = InterruptedGapResult.parse(JSON.parse(readFileSync(output, 'utf8')));
    expect(saved.optimum.upper_bound_source).toMatch(/^policy:/);
    // Handled within one simulation (~0.5 s here), not after all of them.
    expect(saved.policies.length).toBeGreaterThanOrEqual(1);
    expect(saved.policies.length).toBeLessThan(ONLINE_POLICY_NAMES.length);
  }, 180_000);

  it('sweep: SIGINT keeps every finished cell, writes the CSV of them, exit 130', async () => {
    const grid = join(dir, 'grid.json');
    writeFileSync(
      grid,
      JSON.stringify({
        schema: 'hexplan/grid@1',
        // large (53k calls): the whole grid takes ~15 s, so it is still running when the signal
        // comes even if this process's timers run late (with medium-loaded it took 2 s, and on a
        // busy machine the signal could arrive after the run had ended, in the moment between
        // its handlers' removal and its exit).
        workloads: [resolve('instances/workloads/large.json')],
        clusters: [resolve('instances/clusters/hetero-32.json')],
        policies: ['hexagent', 'fcfs'],
        modes: ['exact', 'realistic'],
        rate_multipliers: [1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2, 2.1, 2.2, 2.3, 2.4, 2.5],
      }),
    );
    const results = join(dir, 'r.jsonl');
    const csv = join(dir, 'r.csv');
    const run = start(['sweep', '--grid', grid, '-o', results, '--csv', csv, '--workers', '2', '--json']);
    const lines = () => (existsSync(results) ? readFileSync(results, 'utf8').split('\n').length - 1 : 0);
    await until('two result lines', () => lines() >= 2, 150_000);
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
    const kept = readFileSync(results, 'utf8').trim().split('\n');
    expect(kept.length).toBeLessThan(64);
    for (const l of kept) expect(JSON.parse(l).key).toEqual(expect.any(String));
    const summary = InterruptedSweepResult.parse(JSON.parse(run.out()));
    expect(summary).toMatchObject({ schema: 'hexplan/sweep-result@1', interrupted: true, runs: 64 });
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    // One row per kept cell and quantile (0.95, 0.99 by default).
    expect(rows.length - 1).toBe(kept.length * 2);
    // Resuming runs only what is missing.
    const again = start(['sweep', '--grid', grid, '-o', results, '--shard', '1/64', '--quiet']);
    expect(await again.done).toBe(0);
  }, 240_000);
});
