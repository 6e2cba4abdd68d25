import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { workloadJsonText } from '../../../src/workload/generate/generate.ts';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import { workloadJsonBytes } from '../../../src/workload/import/jsonBytes.ts';
import { captureCliOutput } from '../../helpers/cliOutput.ts';
import { fixture, tempDir, validationProblems } from './helpers.ts';

const io = captureCliOutput();

describe('hexplan import', () => {
  it('writes a valid workload, a summary on stderr, and the summary in --json', async () => {
    const dir = tempDir();
    const o = join(dir, 'w.json');
    const code = await main(['import', '--format', 'azure', fixture('azure-bad.csv'), '-o', o, '--json']);
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(o, 'utf8'));
    expect(validationProblems(written)).toEqual([]);
    expect(written.workflows).toHaveLength(3);
    const json = JSON.parse(io.out);
    expect(json).toMatchObject({
      ok: true,
      output: o,
      summary: { rows_read: 12, rows_used: 3, rows_skipped: 9 },
    });
    expect(io.err).toContain('skipped 2 × unparseable timestamp (line 6, line 11)');
    expect(io.err).toContain('stopped at line 14');
  });

  it('--strict: FILE:LINE error, exit 1, nothing written, no stack trace', async () => {
    const dir = tempDir();
    const o = join(dir, 'w.json');
    const code = await main([
      'import',
      '--format',
      'mooncake',
      fixture('mooncake-bad.jsonl'),
      '-o',
      o,
      '--strict',
    ]);
    expect(code).toBe(1);
    expect(io.err).toBe(
      `error: ${fixture('mooncake-bad.jsonl')}:2: non-numeric tokens: input_length "lots" (--strict)\n`,
    );
    expect(existsSync(o)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown model or format is a clear error', async () => {
    const o = join(tempDir(), 'w.json');
    expect(
      await main(['import', '--format', 'otel', fixture('otel-agent.json'), '-o', o, '--model', 'Nope-1B']),
    ).toBe(2);
    expect(io.err).toMatch(/^error: --model: unknown model "Nope-1B" \(known: .*Qwen2\.5-32B/);
    io.err = '';
    expect(
      await main(['import', '--format', 'parquet', fixture('otel-agent.json'), '-o', o]),
    ).toBeGreaterThan(0);
    expect(io.err).toMatch(/parquet/);
    expect(existsSync(o)).toBe(false);
  });

  it('synthetic-dag with --seed is deterministic, byte for byte', async () => {
    const dir = tempDir();
    const args = (o: string) => [
      'import',
      '--format',
      'azure',
      fixture('azure-small.csv'),
      '-o',
      o,
      '--as',
      'synthetic-dag',
      '--family',
      'mixed',
      '--seed',
      '9',
    ];
    expect(await main(args(join(dir, 'a.json')))).toBe(0);
    expect(await main(args(join(dir, 'b.json')))).toBe(0);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });
});

describe('workloadJsonBytes', () => {
  it('writes exactly what workloadJsonText writes, chunk boundaries included', async () => {
    const { workload } = await importTrace(fixture('azure-small.csv'), { format: 'azure' });
    const base = workload.workflows;
    const many = Array.from({ length: 45_000 }, (_, i) => ({ ...base[i % base.length]!, id: `w${i}` }));
    for (const n of [3, 250, 20_000, 20_001, 45_000]) {
      const w = { ...workload, workflows: many.slice(0, n) };
      expect(Buffer.from(workloadJsonBytes(w)).toString('utf8')).toBe(workloadJsonText(w));
    }
  });
});
