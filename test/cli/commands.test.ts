import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.ts';
import { runCli } from '../helpers/cliOutput.ts';

const dir = mkdtempSync(join(tmpdir(), 'hexplan-cli-contract-'));

/** Commands on defineCommand: refused before any work, with the usage line and exit 2. */
const STRICT: Record<string, string[][]> = {
  validate: [[]],
  gen: [['--family', 'react', '-n', '3']],
  import: [
    ['--format', 'azure', 'traces/azure-llm-2023-conv-sample.csv', '-o', join(dir, 'i.json'), '--limit', '0'],
  ],
  simulate: [
    ['--mode', 'fast'],
    ['--policy', 'nope'],
    ['--prefill-token-budget', '-5'],
  ],
  compare: [
    ['--polices', 'hexagent,fcfs', '--json'],
    ['--mode', 'fast'],
    ['--policies', 'hexagent,nope'],
  ],
  plan: [
    ['--objective', 'foo'],
    ['--time-limit', '0'],
    ['-o', join(dir, 'no', 'plan.json')],
  ],
  verify: [[], ['--plan', 'p.json', '-q', '2']],
  gap: [
    ['--time-limit', '-1'],
    ['--ilp', 'maybe'],
    ['--mode', 'fast'],
    ['--seed', '1.5'],
    ['--placement-moves', '-1'],
    ['--search-moves', '2.5'],
    ['--mode', 'exact', '--placement-moves', '3'],
  ],
  'export-lp': [
    ['--objective', 'foo', '-o', join(dir, 'm.lp')],
    ['-o', join(dir, 'm.lp'), '--format', 'xml'],
  ],
  // Each of these ran (or reached the library, exit 1) before these commands used defineCommand.
  worker: [
    [],
    ['--queue', 'redis://127.0.0.1:1', '--lock-ms', '50'],
    ['--queue', 'redis://x', '--concurrency', '1.5'],
  ],
  sweep: [
    ['--grid', 'instances/grids/headline.json'],
    ['--grid', 'g.json', '-o', join(dir, 's.jsonl'), '--workers', '0'],
    ['--grid', 'g.json', '-o', join(dir, 's.jsonl'), '--queue', 'redis://127.0.0.1:1', '--shard', '1/2'],
    ['--grid', 'instances/grids/headline.json', '-o', join(dir, 's.jsonl'), '--shard', '4/3'],
    ['--grid', 'g.json', '-o', join(dir, 'no', 's.jsonl')],
  ],
  headline: [['-o', join(dir, 'no', 'h.json')], ['--grid']],
  'fit-profile': [
    ['--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B'],
    [
      ...['--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B', '--tp', '0', '-o', join(dir, 'p.json')],
      ...['--prefill-csv', 'test/fixtures/profile/h100-qwen32b-prefill.csv', '--decode-csv', 'd.csv'],
    ],
  ],
  profile: [
    ['--gpu', 'H100-SXM5-80GB'],
    ['--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B', '--mem-util', '2'],
    ['--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B', '--prefill', '512,0'],
    ['--gpu', 'B200-nope', '--model', 'Qwen2.5-32B'],
  ],
  report: [
    ['--results', 'r.jsonl'],
    ['--trace', 't.jsonl', '--plan', 'p.json', '-o', join(dir, 'rep')],
    ['-o', join(dir, 'rep')],
    ['--results', 'r.jsonl', '-w', 'w.json', '-o', join(dir, 'rep')],
  ],
  calibration: [['extra']],
  schema: [['nope'], ['workload', 'cluster']],
};

describe('every command: the command-line contract', () => {
  it.each(commands.map((c) => c.name))(
    '%s refuses an unknown flag with exit 2, nothing on stdout',
    async (name) => {
      const r = await runCli([name, '--no-such-flag', '1']);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^error: /);
    },
  );

  it.each(Object.keys(STRICT))('%s refuses bad values before any work, with usage', async (name) => {
    for (const args of STRICT[name]!) {
      const r = await runCli([name, ...args]);
      expect(r.code, `${name} ${args.join(' ')}`).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`usage: hexplan ${name}`));
      expect(r.err).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect(existsSync(join(dir, 'i.json'))).toBe(false);
    expect(existsSync(join(dir, 'm.lp'))).toBe(false);
    for (const f of ['s.jsonl', 'p.json', 'rep']) expect(existsSync(join(dir, f)), f).toBe(false);
  });

  it.each(Object.keys(STRICT))('%s --help prints its usage and exits 0', async (name) => {
    const r = await runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`usage: hexplan ${name}`));
  });
});

describe('validate recognises every file kind', () => {
  it('accepts the provisioning catalog and a grid, and names the kind in --json', async () => {
    const r = await runCli([
      'validate',
      'models/catalog-provision.json',
      'instances/clusters/hetero-6.json',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.schema).toBe('hexplan/validate-result@1');
    expect(out.files.map((f: { kind: string }) => f.kind)).toEqual(['provision-catalog', 'cluster']);
  });
});

describe('outputs as a contract', () => {
  it('simulate --json: schema, workload, cluster, attainment as labeled objects', async () => {
    const r = await runCli(['simulate', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.schema).toBe('hexplan/simulate-result@1');
    expect(out.workload).toBe('instances/workloads/small.json');
    expect(out.cluster).toBe('instances/clusters/hetero-6.json');
    expect(out.attainment[0]).toEqual({ scale: expect.any(Number), attainment: expect.any(Number) });
  });

  it('compare --csv writes one row per policy with a header', async () => {
    const csv = join(dir, 'compare.csv');
    const r = await runCli(['compare', '--policies', 'hexagent,fcfs', '--csv', csv, '--json', '--quiet']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).schema).toBe('hexplan/compare-result@1');
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^workload,cluster,mode,policy,/);
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['hexagent', 'fcfs']);
  });
});
