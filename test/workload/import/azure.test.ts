import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../../src/errors.ts';
import { generateWorkload } from '../../../src/workload/generate/generate.ts';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import { fixture, one, REAL_AZURE, tempDir, validationProblems } from './helpers.ts';

const azure = (file: string, extra: Record<string, unknown> = {}) =>
  importTrace(file, { format: 'azure', ...extra });

describe('azure import', () => {
  it('turns each row into a one-call workflow, arrivals exact across midnight', async () => {
    const { workload, summary } = await azure(fixture('azure-small.csv'));
    expect(workload.workflows).toEqual([
      one('azure-2', 0, 100, 10, 'azure'),
      one('azure-3', 0.1000001, 200, 20, 'azure'),
      one('azure-4', 1.6, 300, 30, 'azure'),
      one('azure-5', 1.6, 400, 40, 'azure'),
      one('azure-6', 60.2234567, 500, 50, 'azure'),
    ]);
    expect(workload.name).toBe('azure-small');
    expect(workload.meta).toMatchObject({
      source: { format: 'azure', file: 'azure-small.csv', attribution: { license: 'CC-BY-4.0' } },
      import: { model: 'Qwen2.5-32B', as: 'single', time_scale: 1, start_s: 0 },
    });
    expect(summary).toMatchObject({ rows_read: 5, rows_used: 5, rows_skipped: 0, workflows: 5, calls: 5 });
    expect(summary.tokens.input).toEqual({
      min: 100,
      mean: 300,
      p50: 300,
      p90: 500,
      p99: 500,
      max: 500,
      total: 1500,
    });
    expect(summary.arrival_span_s).toEqual({ first: 0, last: 60.2234567 });
    expect(validationProblems(workload)).toEqual([]);
  });

  it('skips each kind of bad row, counted with line numbers, and says where a truncated file stopped', async () => {
    const { workload, summary } = await azure(fixture('azure-bad.csv'));
    expect(workload.workflows.map((w) => w.id)).toEqual(['azure-2', 'azure-7', 'azure-13']);
    expect(workload.workflows.map((w) => w.arrival_s)).toEqual([0, 6.311529, 8.700213]);
    expect(summary.skipped.map((s) => [s.reason, s.count, s.first_at])).toEqual([
      ['non-numeric tokens', 1, ['line 3']],
      ['wrong number of fields', 1, ['line 4']],
      ['negative tokens', 1, ['line 5']],
      ['unparseable timestamp', 2, ['line 6', 'line 11']],
      ['out-of-order timestamp', 1, ['line 9']],
      ['zero tokens', 1, ['line 10']],
      ['non-integer tokens', 1, ['line 12']],
      ['incomplete last line', 1, ['line 14']],
    ]);
    expect(summary.rows_read).toBe(12);
    expect(summary.rows_skipped).toBe(9);
    expect(summary.stopped).toEqual({
      at: 'line 14',
      reason: 'file ends mid-line; imported the complete lines before it',
    });
    expect(validationProblems(workload)).toEqual([]);
  });

  it('--strict turns the first bad row into FILE:LINE: message', async () => {
    const file = fixture('azure-bad.csv');
    await expect(azure(file, { strict: true })).rejects.toThrow(
      new HexplanError(`${file}:3: non-numeric tokens: ContextTokens "abc" (--strict)`),
    );
  });

  it('csv-parse and the hand-rolled split give the same workload', async () => {
    for (const f of ['azure-small.csv', 'azure-bad.csv']) {
      const a = await azure(fixture(f));
      const b = await azure(fixture(f), { csvParser: 'csv-parse' });
      expect(b).toEqual(a);
    }
  });

  it('applies --start/--end, --time-scale and --limit', async () => {
    const w = await azure(fixture('azure-small.csv'), { startS: 0.1, endS: 60, timeScale: 2 });
    expect(w.workload.workflows.map((x) => [x.id, x.arrival_s])).toEqual([
      ['azure-3', 0.0000002],
      ['azure-4', 3],
      ['azure-5', 3],
    ]);
    expect(w.summary.outside_window).toBe(2);
    expect(w.summary.stopped).toEqual({ at: 'line 6', reason: 'reached --end 60 s' });
    const l = await azure(fixture('azure-small.csv'), { limit: 2 });
    expect(l.workload.workflows.map((x) => x.id)).toEqual(['azure-2', 'azure-3']);
    expect(l.summary.stopped?.reason).toBe('reached --limit 2');
  });

  it('places rows into generated DAG shapes: same shapes as gen with that seed, trace lengths and arrivals', async () => {
    const { workload } = await azure(fixture('azure-small.csv'), {
      as: 'synthetic-dag',
      family: 'react',
      seed: 5,
    });
    const gen = generateWorkload({ family: 'react', workflows: 3, seed: 5 }).workload;
    const rows = [
      [0, 100, 10],
      [0.1000001, 200, 20],
      [1.6, 300, 30],
      [1.6, 400, 40],
      [60.2234567, 500, 50],
    ];
    let r = 0;
    workload.workflows.forEach((wf, i) => {
      const shape = gen.workflows[i]!;
      expect(wf.arrival_s).toBe(rows[r]![0]);
      expect(wf.family).toBe('react');
      const expectedCalls = shape.calls.slice(0, wf.calls.length);
      expect(wf.calls.map((c) => [c.id, c.deps, c.tool_s, c.stage])).toEqual(
        expectedCalls.map((c) => [c.id, c.deps, c.tool_s, c.stage]),
      );
      for (const c of wf.calls) {
        expect([c.input_tokens, c.output_tokens]).toEqual(rows[r]!.slice(1));
        r++;
      }
    });
    expect(r).toBe(5);
    expect(validationProblems(workload)).toEqual([]);
    const again = await azure(fixture('azure-small.csv'), { as: 'synthetic-dag', family: 'react', seed: 5 });
    expect(again).toEqual({ workload, summary: again.summary });
  });

  it('refuses bad options and empty input with clear errors', async () => {
    await expect(azure(fixture('azure-small.csv'), { model: 'GPT-9' })).rejects.toThrow(
      /^model: unknown model "GPT-9"/,
    );
    await expect(azure(fixture('azure-small.csv'), { as: 'synthetic-dag' })).rejects.toThrow(
      /^family is required/,
    );
    await expect(
      azure(fixture('azure-small.csv'), { as: 'synthetic-dag', family: 'zigzag' }),
    ).rejects.toThrow(/^family: unknown "zigzag"/);
    await expect(azure(fixture('azure-small.csv'), { timeScale: 0 })).rejects.toThrow(
      /^timeScale must be a positive/,
    );
    await expect(azure(fixture('azure-small.csv'), { startS: 5, endS: 2 })).rejects.toThrow(/^endS must be/);
    await expect(azure(fixture('nope.csv'))).rejects.toThrow(/nope.csv: \(file\): no such file/);
    const dir = tempDir();
    const headerOnly = join(dir, 'h.csv');
    writeFileSync(headerOnly, 'TIMESTAMP,ContextTokens,GeneratedTokens\n');
    await expect(azure(headerOnly)).rejects.toThrow(/no usable rows, nothing written \(read 0 rows\)/);
    const allBad = join(dir, 'b.csv');
    writeFileSync(allBad, 'TIMESTAMP,ContextTokens,GeneratedTokens\nx,1,2\n');
    await expect(azure(allBad)).rejects.toThrow(/no usable rows.*1 × unparseable timestamp \(e\.g\. line 2/);
    const badHeader = join(dir, 'bh.csv');
    writeFileSync(badHeader, 'TIMESTAMP,Prompt,GeneratedTokens\n2023-11-16 18:15:46,1,2\n');
    await expect(azure(badHeader)).rejects.toThrow(/bh.csv:1: header lacks column\(s\) contexttokens/);
  });

  it('reads a file with no header in the published column order', async () => {
    const dir = tempDir();
    const f = join(dir, 'nh.csv');
    writeFileSync(f, '2023-11-16 18:15:46.5,10,2\r\n2023-11-16 18:15:47,11,3\r\n');
    const { workload } = await azure(f);
    expect(workload.workflows).toEqual([
      one('azure-1', 0, 10, 2, 'azure'),
      one('azure-2', 0.5, 11, 3, 'azure'),
    ]);
    const bom = join(dir, 'bom.csv');
    writeFileSync(bom, '\ufeffTIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.5,10,2\n');
    for (const csvParser of ['split', 'csv-parse'] as const) {
      const r = await azure(bom, { csvParser });
      expect(r.workload.workflows).toEqual([one('azure-2', 0, 10, 2, 'azure')]);
      expect(r.summary.rows_skipped).toBe(0);
    }
  });

  it('imports the real Azure 2023 conversation trace sample (2,000 rows) into a valid workload', async () => {
    const { workload, summary } = await azure(REAL_AZURE);
    expect(summary.rows_read).toBe(2000);
    expect(summary.rows_used).toBe(2000);
    expect(summary.rows_skipped).toBe(0);
    expect(workload.workflows[0]).toEqual(one('azure-2', 0, 374, 44, 'azure'));
    // 2023-11-16 18:15:50.9951690 − 18:15:46.6805900
    expect(workload.workflows[1]!.arrival_s).toBe(4.314579);
    expect(summary.arrival_span_s.last).toBe(424.259457); // 18:22:50.9400470 − 18:15:46.6805900
    expect(validationProblems(workload)).toEqual([]);
  });
});
