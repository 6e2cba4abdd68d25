import { describe, expect, it } from 'vitest';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import { fixture, validationProblems } from './helpers.ts';

const mooncake = (file: string, extra: Record<string, unknown> = {}) =>
  importTrace(file, { format: 'mooncake', ...extra });

const one = (id: string, arrival_s: number, input: number, output: number, shared: number) => ({
  id,
  arrival_s,
  model: 'Qwen2.5-32B',
  family: 'mooncake',
  calls: [
    {
      id: 'c0',
      input_tokens: input,
      output_tokens: output,
      deps: [],
      tool_s: 0,
      shared_prefix_tokens: shared,
    },
  ],
});

describe('mooncake import', () => {
  it('keeps the longest hash_ids prefix shared with any earlier request, capped at the input', async () => {
    const { workload, summary } = await mooncake(fixture('mooncake-small.jsonl'));
    // [1,2,3]; [1,2,4] shares 2 blocks; [5,6] none; [1] shares 1 block but has 300 tokens; [1,2,3,7] shares 3.
    expect(workload.workflows).toEqual([
      one('mooncake-1', 0, 1200, 50, 0),
      one('mooncake-2', 1.5, 1100, 20, 1024),
      one('mooncake-3', 1.5, 600, 10, 0),
      one('mooncake-4', 2.25, 300, 30, 300),
      one('mooncake-5', 4, 2000, 100, 1536),
    ]);
    expect(summary.tokens.shared_prefix).toMatchObject({ min: 0, max: 1536, total: 2860 });
    expect(workload.meta).toMatchObject({ import: { block_tokens: 512 } });
    expect(validationProblems(workload)).toEqual([]);
  });

  it('--block-tokens changes the block size', async () => {
    const { workload } = await mooncake(fixture('mooncake-small.jsonl'), { blockTokens: 100 });
    expect(workload.workflows.map((w) => w.calls[0]!.shared_prefix_tokens)).toEqual([0, 200, 0, 100, 300]);
  });

  it('a bounded prefix memory still matches what it holds and says it is full', async () => {
    const { workload, summary } = await mooncake(fixture('mooncake-small.jsonl'), { maxPrefixBlocks: 2 });
    expect(workload.workflows.map((w) => w.calls[0]!.shared_prefix_tokens)).toEqual([0, 1024, 0, 300, 1024]);
    expect(summary.notes.join(' ')).toMatch(/prefix memory full at 2 blocks/);
  });

  it('skips bad lines by reason with line numbers; a cut-short last line is a truncation', async () => {
    const { workload, summary } = await mooncake(fixture('mooncake-bad.jsonl'));
    expect(workload.workflows).toEqual([
      one('mooncake-1', 0, 1200, 50, 0),
      one('mooncake-9', 1, 1024, 8, 1024),
      one('mooncake-11', 1, 900, 8, 0),
    ]);
    expect(summary.skipped.map((s) => [s.reason, s.first_at])).toEqual([
      ['non-numeric tokens', ['line 2']],
      ['malformed JSON', ['line 3']],
      ['missing field', ['line 4']],
      ['negative tokens', ['line 5']],
      ['unparseable timestamp', ['line 6']],
      ['bad hash_ids', ['line 7']],
      ['not an object', ['line 8']],
      ['out-of-order timestamp', ['line 10']],
      ['incomplete last line', ['line 12']],
    ]);
    expect(summary.stopped).toEqual({
      at: 'line 12',
      reason: 'file ends mid-line; imported the complete lines before it',
    });
    expect(validationProblems(workload)).toEqual([]);
    const file = fixture('mooncake-bad.jsonl');
    await expect(mooncake(file, { strict: true })).rejects.toThrow(
      `${file}:2: non-numeric tokens: input_length "lots" (--strict)`,
    );
  });

  it('pours requests into generated shapes too, keeping the prefix hint per call', async () => {
    const { workload } = await mooncake(fixture('mooncake-small.jsonl'), {
      as: 'synthetic-dag',
      family: 'tree',
      seed: 2,
    });
    const calls = workload.workflows.flatMap((w) => w.calls);
    expect(calls.map((c) => c.shared_prefix_tokens)).toEqual([0, 1024, 0, 300, 1536]);
    expect(validationProblems(workload)).toEqual([]);
  });
});
