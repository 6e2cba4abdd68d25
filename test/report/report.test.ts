import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSweep } from '../../src/analysis/sweep/sweep.ts';
import { HexplanError } from '../../src/errors.ts';
import { escapeHtml } from '../../src/report/html.ts';
import { readResults } from '../../src/report/readResults.ts';
import { writeReport } from '../../src/report/report.ts';
import { runCli } from '../helpers/cliOutput.ts';

const FIXTURE = 'test/fixtures/report/small-sweep.jsonl';
const tmp = () => mkdtempSync(join(tmpdir(), 'hexplan-report-'));
const lines = () => readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');

/** Every file under dir (relative path → bytes), to compare two runs byte for byte. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(dir, name);
    if (name.endsWith('.svg') || name.endsWith('.html') || name.endsWith('.json'))
      out.set(name, readFileSync(p));
  }
  return out;
}

describe('writeReport', () => {
  it('builds index.html with inline SVG plots, plot files and results.json from a sweep', async () => {
    const results = join(tmp(), 'r.jsonl');
    await runSweep('test/fixtures/sweep/grid.json', results);
    const dir = join(tmp(), 'new', 'report'); // missing parents are created
    const s = await writeReport(results, dir);
    expect(s.runs).toBe(4);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    const plots = readdirSync(join(dir, 'plots'));
    // Each figure as SVG and its data as CSV beside it: required scale, attainment, GPU usage.
    expect(s.figures).toBe(3 * s.sections);
    expect(plots.length).toBe(2 * s.figures);
    for (const p of plots.filter((f) => f.endsWith('.svg')))
      expect(readFileSync(join(dir, 'plots', p), 'utf8')).toMatch(/^<svg/);
    const csv = readFileSync(join(dir, 'plots', 'tiny-hetero-4-exact-required.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('policy,rate_multiplier,quantile,required_scale');
    expect(csv).toHaveLength(1 + 2 * 2 + 1); // header, 2 policies x 2 quantiles, final newline
    // Relative titles: file names as people say them, not paths.
    expect(html).toContain('<h2>tiny on hetero-4 (exact mode)</h2>');
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.simulate).toHaveLength(4);
    expect(new Set(json.simulate.map((r: { policy: string }) => r.policy))).toEqual(
      new Set(['hexagent', 'fcfs']),
    );
  });

  it('is byte-identical on a second run and independent of line order', async () => {
    const a = tmp();
    const b = tmp();
    await writeReport(FIXTURE, a);
    const shuffled = join(tmp(), 'shuffled.jsonl');
    writeFileSync(shuffled, `${lines().reverse().join('\n')}\n`);
    await writeReport(FIXTURE, b);
    const first = snapshot(a);
    expect(first.size).toBe(2 + 2); // index.html, results.json, 2 sections x 1 plot (old lines: no curve, no GPU usage)
    expect(snapshot(b)).toEqual(first);
    const c = tmp();
    await writeReport(shuffled, c);
    // Only the source's name differs (index.html, results.json); the plots are the same bytes.
    const plots = (m: Map<string, Buffer>) => [...m].filter(([k]) => k.endsWith('.svg'));
    expect(plots(snapshot(c))).toEqual(plots(first));
  });

  it('plots every policy and escapes text in the table', async () => {
    const dir = tmp();
    const input = join(dir, 'r.jsonl');
    const l = lines().map((x) => JSON.parse(x));
    l[0].policy = '<b>&evil';
    writeFileSync(input, `${l.map((x) => JSON.stringify(x)).join('\n')}\n`);
    await writeReport(input, join(dir, 'out'));
    const html = readFileSync(join(dir, 'out', 'index.html'), 'utf8');
    expect(html).not.toContain('<b>&evil');
    expect(html).toContain(escapeHtml('<b>&evil'));
    for (const p of ['hexagent', 'fcfs', 'least-loaded', 'edf']) expect(html).toContain(`>${p}<`);
  });
});

describe('readResults errors', () => {
  const write = (text: string) => {
    const f = join(tmp(), 'bad.jsonl');
    writeFileSync(f, text);
    return f;
  };

  it('names the file and line of a line with a bad field, and writes nothing', async () => {
    const l = lines();
    const bad = JSON.parse(l[2]!);
    bad.p95 = 'high';
    const f = write(`${l[0]}\n${l[1]}\n${JSON.stringify(bad)}\n`);
    expect(() => readResults(f)).toThrow(HexplanError);
    expect(() => readResults(f)).toThrow(`${f}:3: p95:`);
    const out = join(tmp(), 'out');
    await expect(writeReport(f, out)).rejects.toThrow(`${f}:3: p95:`);
    expect(existsSync(out)).toBe(false);
  });

  it('names the line of malformed JSON', () => {
    const f = write(`${lines()[0]}\n\n{"key": \n`);
    expect(() => readResults(f)).toThrow(`${f}:3: (root): malformed JSON`);
  });

  it('rejects an empty results file and duplicate keys', () => {
    expect(() => readResults(write('\n'))).toThrow(/no result lines/);
    const l = lines()[0]!;
    expect(() => readResults(write(`${l}\n${l}\n`))).toThrow(/appears 2 times/);
  });
});

describe('provision --sweep-rates input', () => {
  const PROVISION = 'test/fixtures/report/provision-sweep.json';

  it('plots cost versus load and tabulates every rate multiplier', async () => {
    const dir = tmp();
    const s = await writeReport(PROVISION, dir);
    expect(s).toMatchObject({ kind: 'provision', runs: 3 });
    expect(readdirSync(join(dir, 'plots'))).toEqual(['provision-cost.csv', 'provision-cost.svg']);
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<td>8.97</td>'); // cost at load x1 in the fixture
    const again = tmp();
    await writeReport(PROVISION, again);
    expect(snapshot(again)).toEqual(snapshot(dir));
  });

  it('reports a bad point as FILE: json.path: message', async () => {
    const doc = JSON.parse(readFileSync(PROVISION, 'utf8'));
    doc.sweep[1].cost_per_hour = 'cheap';
    const f = join(tmp(), 'p.json');
    writeFileSync(f, JSON.stringify(doc));
    await expect(writeReport(f, join(tmp(), 'out'))).rejects.toThrow(`${f}: sweep[1].cost_per_hour:`);
  });
});

describe('hexplan report', () => {
  it('writes the report and prints a summary; errors exit nonzero without a stack', async () => {
    const dir = tmp();
    const ok = await runCli(['report', '--results', FIXTURE, '-o', dir, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ output: dir, runs: 16, sections: 2 });
    const bad = await runCli(['report', '--results', join(dir, 'missing.jsonl'), '-o', dir]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('no such file');
    expect(bad.err).not.toContain('    at ');
  });
});
