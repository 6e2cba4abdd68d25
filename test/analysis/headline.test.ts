import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type HeadlineCell,
  loadHeadlineGrid,
  runHeadline,
  summarizeHeadline,
} from '../../src/analysis/headline.ts';
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
      loadHeadlineGrid(file);
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
    expect(h.setAside).toEqual(['fcfs']);
    // Load 1.0 cell: hexagent 3 vs best fair 2 → ratio 1.5, reported as a loss.
    expect(h.losses).toEqual([
      { family: 'chat', cluster: 'c', load: 1, mode: 'exact', best: 'edf', ratio: 1.5 },
    ]);
  });

  it('runs a small grid deterministically', () => {
    const file = gridFile('ok.json', base);
    const a = runHeadline(file);
    expect(a.cells).toHaveLength(1);
    expect(a.cells[0]!.workflows).toBe(20);
    expect(Object.keys(a.cells[0]!.p95)).toEqual(['hexagent', 'edf', 'fcfs']);
    expect(JSON.stringify(runHeadline(file))).toBe(JSON.stringify(a));
  });
});
