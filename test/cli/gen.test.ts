import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliOutput.ts';

const dir = mkdtempSync(join(tmpdir(), 'hexplan-cli-gen-'));

describe('hexplan gen: the command-line contract', () => {
  it('refuses a misspelled flag before writing anything', async () => {
    const out = join(dir, 'g3.json');
    const r = await runCli(['gen', '--family', 'react', '-n', '3', '-o', out, '--laod', '0.5']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown argument: laod/);
    expect(r.err).toMatch(/usage: hexplan gen/);
    expect(r.out).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a missing --output and an unknown family with usage, no stack', async () => {
    const noOut = await runCli(['gen', '--family', 'react', '-n', '3']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toMatch(/output/);
    const bad = await runCli(['gen', '--family', 'nope', '-n', '3', '-o', join(dir, 'x.json')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Choices/);
    expect(bad.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses nonsense numbers, naming the flag and the value', async () => {
    for (const [flagName, value] of [
      ['-n', 'abc'],
      ['-n', '0'],
      ['-n', '2.5'],
      ['--rate', '-1'],
      ['--deadline-factor', '0.5'],
      ['--seed', '1.5'],
    ] as const) {
      const out = join(dir, 'n.json');
      const args = ['gen', '--family', 'react', '-o', out, '-n', '3', flagName, value];
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/error: --/);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('maps a library field error to its flag (--rate with --load)', async () => {
    const r = await runCli([
      'gen',
      '--family',
      'react',
      '-n',
      '3',
      '-o',
      join(dir, 'rl.json'),
      '--rate',
      '1',
      '--load',
      '0.5',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error: --rate/);
    expect(r.err).not.toMatch(/ratePerS/);
  });

  it('writes the file and a versioned JSON summary naming it `output`', async () => {
    const out = join(dir, 'ok.json');
    const r = await runCli(['gen', '--family', 'react', '-n', '3', '-o', out, '--json']);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary.schema).toBe('hexplan/gen-result@1');
    expect(summary.output).toBe(out);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('hexplan/workload@1');
  });
});
