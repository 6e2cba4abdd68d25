import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type HeadlineCell,
  headlineFromResults,
  runHeadline,
  summarizeHeadline,
} from '../../src/analysis/headline.ts';
import { loadGrid } from '../../src/analysis/sweep/grid.ts';
import { runSweep } from '../../src/analysis/sweep/sweep.ts';
import { HexplanError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'hexplan-headline-'));
const cluster = resolve('instances/clusters/hetero-4.json');

function gridFile(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const base = {
  schema: 'hexplan/headline-grid@1',
  families: ['chat'],
  clusters: [cluster],
  loads: [0.9],
  modes: ['exact'],
  workflows_per_instance: 5,
  seed: 3,
  baselines: ['edf', 'fcfs'],
};

describe('headline', () => {
  it('rejects unknown families, policies, hexagent as a baseline and missing clusters, as FILE: path: message', () => {
    const file = gridFile('bad.json', {
      ...base,
      families: ['chat', 'poem'],
      baselines: ['edf', 'hexagent', 'nope'],
      clusters: ['missing.json'],
    });
    let error: unknown;
    try {
      loadGrid(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HexplanError);
    const message = (error as Error).message;
    expect(message).toContain('families[1]: unknown family "poem"');
    expect(message).toContain('baselines[1]: hexagent is what is measured');
    expect(message).toContain('baselines[2]: unknown online policy "nope"');
    expect(message).toContain('clusters[0]: no such file');
  });

  it('reduction = (k_base − k_hex) / k_base; mean, max, min over cells; strawmen left out of "all"', () => {
    const cell = (load: number, hex: number, edf: number, fcfs: number): HeadlineCell => ({
      family: 'chat',
      cluster: 'c',
      load,
      mode: 'exact',
      workflows: 1,
      calls: 1,
      p95: { hexagent: hex, edf, fcfs },
      p99: { hexagent: hex, edf, fcfs },
    });
    const h = summarizeHeadline('g', [cell(0.9, 1, 2, 4), cell(1.0, 3, 2, 4)], ['edf', 'fcfs']);
    const edf = h.rows.find((r) => r.versus === 'edf')!;
    expect(edf.p95.mean).toBeCloseTo((0.5 - 0.5) / 2, 12);
    expect(edf.p95.max).toBeCloseTo(0.5, 12);
    expect(edf.p95.min).toBeCloseTo(-0.5, 12);
    const all = h.rows.find((r) => r.versus === 'all (fair)')!;
    expect(all.p95).toEqual(edf.p95);
    expect(h.set_aside).toEqual(['fcfs']);
    // Load 1.0 cell: hexagent 3 vs best fair 2 → ratio 1.5, reported as a loss.
    expect(h.losses).toEqual([
      { family: 'chat', cluster: 'c', load: 1, mode: 'exact', best: 'edf', ratio: 1.5 },
    ]);
  });

  it('runs a small grid deterministically', async () => {
    const file = gridFile('ok.json', base);
    const a = await runHeadline(file);
    expect(a.cells).toHaveLength(1);
    expect(a.cells[0]!.workflows).toBe(20);
    expect(Object.keys(a.cells[0]!.p95)).toEqual(['hexagent', 'edf', 'fcfs']);
    expect(JSON.stringify(await runHeadline(file))).toBe(JSON.stringify(a));
  });

  it('is the table of the sweep the grid stands for, whatever runs it', async () => {
    const file = gridFile('two.json', { ...base, loads: [0.7, 1.0], modes: ['exact', 'realistic'] });
    const direct = await runHeadline(file);
    expect(direct.cells.map((c) => [c.load, c.mode])).toEqual([
      [0.7, 'exact'],
      [1, 'exact'],
      [0.7, 'realistic'],
      [1, 'realistic'],
    ]);
    const threaded = await runHeadline(file, { workers: 2 });
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(direct));
    const out = join(dir, 'two.jsonl');
    const summary = await runSweep(file, out);
    expect(summary.runs).toBe(2 * 2 * 3);
    const fromLines = headlineFromResults(out);
    expect(JSON.stringify({ ...fromLines, grid: '' })).toBe(JSON.stringify({ ...direct, grid: '' }));
  });

  it('refuses a results file without hexagent, or with a cell missing a policy', async () => {
    const file = gridFile('one.json', { ...base, loads: [0.7, 1.0] });
    const out = join(dir, 'one.jsonl');
    await runSweep(file, out);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const partial = join(dir, 'partial.jsonl');
    writeFileSync(partial, `${lines.slice(0, -1).join('\n')}\n`);
    expect(() => headlineFromResults(partial)).toThrow(/1 of 2 cells lack a policy's line/);
    const noHex = join(dir, 'nohex.jsonl');
    writeFileSync(noHex, `${lines.filter((l) => !l.includes('"policy":"hexagent"')).join('\n')}\n`);
    expect(() => headlineFromResults(noHex)).toThrow(/no hexagent lines/);
  });
});
