import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { captureCliOutput } from '../helpers/cliOutput.ts';

const io = captureCliOutput();

const W = ['-w', 'test/fixtures/sim/two-workflows.json', '-c', 'instances/clusters/hetero-6.json'];

describe('hexplan simulate / compare', () => {
  it('simulate prints a table, and --json the metrics', async () => {
    expect(await main(['simulate', ...W, '--policy', 'fcfs'])).toBe(0);
    expect(io.out).toMatch(/^policy\s+mode\s+workflows\s+calls\s+p50/m);
    expect(io.out).toMatch(/fcfs\s+exact\s+2\s+5/);
    io.out = '';
    expect(await main(['simulate', ...W, '--json', '--policy-option', 'k_target=3'])).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.policy).toBe('hexagent');
    expect(j.metrics.workflows).toBe(2);
    expect(j.attainment.at(-1).attainment).toBe(1);
  });

  it('exact mode says when it runs a shared-GPU mixed instance side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-sim-'));
    const cluster = JSON.parse(readFileSync('instances/clusters/hetero-6.json', 'utf8'));
    const shared = join(dir, 'shared.json');
    writeFileSync(shared, JSON.stringify({ ...cluster, mixed_timeshare: 'chunked' }));
    const run = async (c: string, mode: string) => {
      io.err = '';
      expect(await main(['simulate', '-w', W[1]!, '-c', c, '--mode', mode, '--policy', 'fcfs'])).toBe(0);
      return io.err;
    };
    expect(await run(shared, 'exact')).toMatch(
      /note: exact mode runs mixed instance m-h200-0 with prefill and decode side by side; .*--mode realistic/,
    );
    expect(await run(shared, 'realistic')).not.toMatch(/note: exact mode/);
    // As bundled, hetero-6 runs its mixed instance side by side in both modes: nothing to say.
    expect(await run('instances/clusters/hetero-6.json', 'exact')).not.toMatch(/note: exact mode/);
  });

  it('--trace writes JSONL or CSV by extension', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-sim-'));
    expect(await main(['simulate', ...W, '--mode', 'realistic', '--trace', join(dir, 't.jsonl')])).toBe(0);
    const lines = readFileSync(join(dir, 't.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.record === 'call')).toHaveLength(5);
    expect(lines.filter((l) => l.record === 'workflow')).toHaveLength(2);
    expect(await main(['simulate', ...W, '--trace', join(dir, 't.csv')])).toBe(0);
    const csv = readFileSync(join(dir, 't.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'workflow,call,ready_s,prefill_instance,prefill_start_s,prefill_end_s,transfer_end_s,decode_instance,decode_start_s,decode_end_s',
    );
    expect(csv).toHaveLength(6);
    expect(readFileSync(join(dir, 't.workflows.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('errors are messages with a nonzero exit, not stack traces', async () => {
    expect(
      await main([
        'simulate',
        '-w',
        'test/fixtures/sim/kv-too-big.json',
        '-c',
        'instances/clusters/hetero-6.json',
      ]),
    ).toBe(1);
    expect(io.err).toMatch(
      /^error: .*kv-too-big\.json: workflows\[0\]\.calls\[1\]: call "w0\/huge" needs 400100 KV tokens/,
    );
    io.err = '';
    expect(await main(['simulate', ...W, '--policy', 'replay'])).toBe(1);
    expect(io.err).toMatch(/--policy replay needs --plan/);
    io.err = '';
    expect(await main(['simulate', ...W, '--policy-option', 'nope'])).toBe(1);
    expect(io.err).toMatch(/expected key=value/);
  });

  it('compare prints the table and the reduction block; --json has the documented shape', async () => {
    expect(await main(['compare', ...W, '--policies', 'hexagent,fcfs'])).toBe(0);
    expect(io.out).toMatch(/hexagent vs\s+p95 reduction\s+p99 reduction/);
    io.out = '';
    expect(await main(['compare', ...W, '--json', '--policy-option', 'hexagent.k_target=4'])).toBe(0);
    const j = JSON.parse(io.out);
    expect(j.policies.map((p: { name: string }) => p.name)).not.toContain('replay');
    for (const p of j.policies) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining(['name', 'p50', 'p95', 'p99', 'mean', 'attainment', 'calls', 'workflows']),
      );
    }
    expect(j.hexagent_reduction.versus.length).toBe(j.policies.length - 1);
    io.err = '';
    expect(await main(['compare', ...W, '--policies', 'hexagent,nope'])).toBe(2);
    expect(io.err).toMatch(/unknown "nope"/);
  });
});
