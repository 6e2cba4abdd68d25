import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import { fixture, tempDir, validationProblems } from './helpers.ts';

const otel = (file: string, extra: Record<string, unknown> = {}) =>
  importTrace(file, { format: 'otel', ...extra });

const call = (
  id: string,
  input: number,
  output: number,
  deps: string[],
  tool_s: number,
  stage = 'chat qwen',
) => ({
  id,
  input_tokens: input,
  output_tokens: output,
  deps,
  tool_s,
  stage,
});

/**
 * Derived by hand from the fixture's timeline (seconds after the first span):
 * root agent [0,10]: chat1 [0.1,1] · tool1 [1.2,2] · chat2 [2.1,3] · tool2 [3.1,4] ∥ tool3 [3.1,4.5]
 * · chat3 [4.6,5] · sub-agent [5.1,8] { chat4a [5.2,6] ∥ chat4b [5.2,6.5] · chat4c [6.6,7.9] } · chat5 [8.1,9];
 * trace B: one chat [2,2.5] with the older prompt/completion token attributes.
 */
const EXPECTED = [
  {
    id: 'aaaa0000000000000000000000000001',
    arrival_s: 0,
    model: 'Qwen2.5-32B',
    family: 'otel',
    calls: [
      call('chat1', 100, 20, [], 0),
      call('chat2', 150, 30, ['chat1'], 0.8), // tool1: 1.2 → 2.0
      call('chat3', 200, 40, ['chat2'], 1.4), // tools 2 ∥ 3: 3.1 → 4.5
      call('chat4a', 300, 50, ['chat3'], 0), // inherits the sub-agent's earlier siblings
      call('chat4b', 310, 60, ['chat3'], 0),
      call('chat4c', 320, 70, ['chat4a', 'chat4b'], 0),
      call('chat5', 400, 80, ['chat4c'], 0), // every earlier call, transitively reduced
    ],
  },
  {
    id: 'bbbb0000000000000000000000000002',
    arrival_s: 2,
    model: 'Qwen2.5-32B',
    family: 'otel',
    calls: [call('only', 64, 8, [], 0, 'chat')],
  },
];

describe('otel import', () => {
  it('turns an OTLP JSON export into one workflow per trace, deps from structure and timing', async () => {
    const { workload, summary } = await otel(fixture('otel-agent.json'));
    expect(workload.workflows).toEqual(EXPECTED);
    expect(summary).toMatchObject({ rows_read: 13, rows_used: 13, rows_skipped: 0, workflows: 2, calls: 8 });
    expect(validationProblems(workload)).toEqual([]);
  });

  it('reads shuffled JSONL spans (a trace spread over the file) to the same workflows', async () => {
    const { workload } = await otel(fixture('otel-agent.jsonl'));
    expect(workload.workflows).toEqual(EXPECTED);
  });

  it('windows, scales and limits by trace arrival', async () => {
    const w = await otel(fixture('otel-agent.json'), { startS: 1, timeScale: 2 });
    expect(w.workload.workflows.map((x) => [x.id, x.arrival_s])).toEqual([
      ['bbbb0000000000000000000000000002', 2],
    ]);
    expect(w.summary.outside_window).toBe(12);
    const l = await otel(fixture('otel-agent.json'), { limit: 1 });
    expect(l.workload.workflows.map((x) => x.id)).toEqual(['aaaa0000000000000000000000000001']);
    expect(l.summary.notes).toContain('kept the first 1 of 2 workflows by arrival (--limit)');
  });

  it('skips bad spans, orphans and cyclic traces, counted by line; a truncated last line stops', async () => {
    const { workload, summary } = await otel(fixture('otel-bad.jsonl'));
    expect(workload.workflows).toEqual([
      {
        id: 'e1',
        arrival_s: 0,
        model: 'Qwen2.5-32B',
        family: 'otel',
        calls: [call('e-a', 100, 10, [], 0, 'chat'), call('e-b', 120, 12, ['e-a'], 0.6, 'chat')],
      },
    ]);
    expect(summary.skipped.map((s) => [s.reason, s.first_at])).toEqual([
      ['malformed JSON', ['line 5']],
      ['span ends before it starts', ['line 9']],
      ['missing field', ['line 10']],
      ['LLM span with negative tokens', ['line 11']],
      ['incomplete last line', ['line 13']],
      ['duplicate span id', ['line 12']],
      ['unknown parent', ['line 2']],
      ['ancestor has an unknown parent (or parents loop)', ['line 3']],
      ['dependency cycle from inconsistent timing', ['line 7']],
    ]);
    expect(summary.stopped?.at).toBe('line 13');
    expect(summary.notes).toEqual([
      '1 trace(s) had no usable LLM span (structure or tools only) and became no workflow',
    ]);
    expect(validationProblems(workload)).toEqual([]);
    const file = fixture('otel-bad.jsonl');
    await expect(otel(file, { strict: true })).rejects.toThrow(`${file}:5: malformed JSON`);
  });

  it('names JSON paths for problems inside a whole OTLP document, and rejects what is not OTLP', async () => {
    const dir = tempDir();
    const doc = join(dir, 'doc.json');
    const spans = [
      {
        traceId: 't',
        spanId: 'a',
        startTimeUnixNano: '1000000000',
        endTimeUnixNano: '2000000000',
        attributes: { 'gen_ai.usage.input_tokens': 5, 'gen_ai.usage.output_tokens': 2 },
      },
      { traceId: 't', spanId: 'b', startTimeUnixNano: 'yesterday', endTimeUnixNano: '2000000000' },
    ];
    writeFileSync(doc, JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }, null, 2));
    const { workload, summary } = await otel(doc);
    expect(workload.workflows[0]!.calls).toEqual([
      { id: 'a', input_tokens: 5, output_tokens: 2, deps: [], tool_s: 0 },
    ]);
    expect(summary.skipped[0]!.first_at).toEqual(['resourceSpans[0].scopeSpans[0].spans[1]']);
    await expect(otel(doc, { strict: true })).rejects.toThrow(
      `${doc}: resourceSpans[0].scopeSpans[0].spans[1]: unparseable timestamp`,
    );
    const notOtlp = join(dir, 'x.json');
    writeFileSync(notOtlp, '{\n  "hello": 1\n}\n');
    await expect(otel(notOtlp)).rejects.toThrow(/not an OTLP JSON export/);
    // An agent span carrying its children's summed usage stays structure, not a call.
    const agent = join(dir, 'agent.jsonl');
    const usage = (i: number, o: number) => [
      { key: 'gen_ai.usage.input_tokens', value: { intValue: String(i) } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: String(o) } },
    ];
    const op = (name: string) => ({ key: 'gen_ai.operation.name', value: { stringValue: name } });
    writeFileSync(
      agent,
      [
        {
          traceId: 'g',
          spanId: 'a',
          startTimeUnixNano: '0',
          endTimeUnixNano: '9',
          attributes: [op('invoke_agent'), ...usage(30, 3)],
        },
        {
          traceId: 'g',
          spanId: 'c',
          parentSpanId: 'a',
          startTimeUnixNano: '1',
          endTimeUnixNano: '5',
          attributes: [op('chat'), ...usage(30, 3)],
        },
        {
          traceId: 'g',
          spanId: 'e',
          parentSpanId: 'a',
          startTimeUnixNano: '6',
          endTimeUnixNano: '7',
          attributes: [op('embeddings'), ...usage(8, 1)],
        },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    expect((await otel(agent)).workload.workflows[0]!.calls.map((c) => c.id)).toEqual(['c']);
    const firstCorrupt = join(dir, 'first.jsonl');
    const good = readFileSync(fixture('otel-agent.jsonl'), 'utf8');
    writeFileSync(firstCorrupt, `{"traceId": "x", garbage\n${good}`);
    const fc = await otel(firstCorrupt);
    expect(fc.workload.workflows).toEqual(EXPECTED);
    expect(fc.summary.skipped.map((s) => [s.reason, s.first_at])).toEqual([['malformed JSON', ['line 1']]]);
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, '{\n  "resourceSpans": [\n');
    await expect(otel(cut)).rejects.toThrow(/cut.json: \(root\): malformed JSON/);
    await expect(otel(fixture('otel-agent.json'), { as: 'synthetic-dag', family: 'react' })).rejects.toThrow(
      /^as must be "single"/,
    );
  });

  it('a long flat agent loop (1,000 turns with tools) becomes a chain, quickly', async () => {
    const dir = tempDir();
    const f = join(dir, 'loop.jsonl');
    const ns = (s: number) => String(1_700_000_000_000_000_000n + BigInt(Math.round(s * 1e6)) * 1000n);
    const lines = [
      JSON.stringify({ traceId: 'L', spanId: 'root', startTimeUnixNano: ns(0), endTimeUnixNano: ns(1e5) }),
    ];
    for (let i = 0; i < 1000; i++) {
      const t = i * 10;
      const attrs = [
        { key: 'gen_ai.usage.input_tokens', value: { intValue: String(100 + i) } },
        { key: 'gen_ai.usage.output_tokens', value: { intValue: '7' } },
      ];
      lines.push(
        JSON.stringify({
          traceId: 'L',
          spanId: `c${i}`,
          parentSpanId: 'root',
          startTimeUnixNano: ns(t + 1),
          endTimeUnixNano: ns(t + 4),
          attributes: attrs,
        }),
      );
      const tool = [{ key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } }];
      lines.push(
        JSON.stringify({
          traceId: 'L',
          spanId: `t${i}`,
          parentSpanId: 'root',
          startTimeUnixNano: ns(t + 5),
          endTimeUnixNano: ns(t + 7.5),
          attributes: tool,
        }),
      );
    }
    writeFileSync(f, `${lines.join('\n')}\n`);
    const { workload } = await otel(f);
    const calls = workload.workflows[0]!.calls;
    expect(calls).toHaveLength(1000);
    expect(calls[0]).toEqual({ id: 'c0', input_tokens: 100, output_tokens: 7, deps: [], tool_s: 0 });
    // Turn i waits for turn i−1 and then its tool: 5 → 7.5 s after the turn's start.
    expect(calls[999]).toEqual({
      id: 'c999',
      input_tokens: 1099,
      output_tokens: 7,
      deps: ['c998'],
      tool_s: 2.5,
    });
    expect(calls.every((c, i) => c.deps.length === (i === 0 ? 0 : 1))).toBe(true);
    expect(validationProblems(workload)).toEqual([]);
  });
});
