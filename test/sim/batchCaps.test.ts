import { describe, expect, it } from 'vitest';
import { assignmentPolicy } from '../../src/analysis/assignment.ts';
import type { Policy } from '../../src/policy/policy.ts';
import type { StageOptions } from '../../src/policy/view.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { cluster as oneSlot, profile } from './roundNumbers.ts';

// Three one-call workflows on a mixed instance with four decode slots: every call's KV is at
// hand when its prefill ends, and prefill 1 ms per token makes the ready order a, b, c.
const cluster = Cluster.parse({
  ...oneSlot,
  instances: [
    { id: 'M', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'mixed', node: 'a', decode_slots: 4 },
  ],
});
const workload = Workload.parse({
  schema: 'hexplan/workload@1',
  workflows: ['a', 'b', 'c'].map((id) => ({
    id,
    arrival_s: 0,
    model: 'Qwen2.5-32B',
    calls: [{ id, input_tokens: 100, output_tokens: 100 }],
  })),
});
const scenario = makeScenario(workload, cluster, { profiles: [profile] });

/** Every call on instance 0, in call order, with the given batch caps (0: none). */
const capped = (caps: number[], prefillCaps: number[] = []) =>
  assignmentPolicy({
    prefill: new Int32Array(3),
    decode: new Int32Array(3),
    prefillKey: Float64Array.of(0, 1, 2),
    decodeKey: Float64Array.of(0, 1, 2),
    prefillNotBeforeS: new Float64Array(3),
    decodeNotBeforeS: new Float64Array(3),
    decodeBatchCap: Int32Array.from({ length: 3 }, (_, c) => caps[c] ?? 0),
    prefillBatchTokenCap: Int32Array.from({ length: 3 }, (_, c) => prefillCaps[c] ?? 0),
  });

/** A policy that hands call 0 the stage options `stage` as they are (for the refusals). */
const handing = (stage: StageOptions): Policy => ({
  name: 'handing',
  description: 'tests only',
  create: (view) => ({
    place(calls) {
      for (const c of calls) view.assign(c, 0, 0, c, c === 0 ? stage : undefined);
    },
  }),
});

const decodeStarts = (caps: number[], budget = 1) =>
  simulate(scenario, capped(caps), { mode: 'realistic', prefillTokenBudget: budget }).calls.map((c) =>
    Number(c.decode_start_s.toFixed(6)),
  );

describe('prefill batch token cap (realistic mode)', () => {
  // All three are ready at 0; prefill costs 1 ms per prompt token, so a batch of n prompts
  // lasts n × 0.1 s and every call of it ends with it.
  const prefillEnds = (prefillCaps: number[]) =>
    simulate(scenario, capped([0, 0, 0], prefillCaps), { mode: 'realistic' }).calls.map((c) =>
      Number(c.prefill_end_s.toFixed(6)),
    );

  it('without caps the budget takes all three prompts in one batch', () => {
    expect(prefillEnds([])).toEqual([0.3, 0.3, 0.3]);
  });

  it('a call joins only within its cap and closes the batch at it', () => {
    // b (cap 200) joins a (100 + 100 ≤ 200); c would make 300 > 200 and goes next, alone.
    expect(prefillEnds([0, 200, 0])).toEqual([0.2, 0.2, 0.3]);
    // a's cap is its own prompt: it runs alone, then b and c together.
    expect(prefillEnds([100, 0, 0])).toEqual([0.1, 0.3, 0.3]);
    // A cap below a call's own prompt still lets it run (a batch always takes one call).
    expect(prefillEnds([1, 1, 1])).toEqual([0.1, 0.2, 0.3]);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => simulate(scenario, handing({ prefillBatchTokenCap: -5 }), { mode: 'realistic' })).toThrow(
      /prefill batch token cap -5: need an integer ≥ 1/,
    );
  });
});

describe('decode batch cap (realistic mode)', () => {
  // One prefill of 100 ms each (budget 1 token: one call per batch), 100 steps of 10 ms; a call
  // joins a running batch at its next step boundary.
  it('without caps every call joins the batch at the step after its prefill ends', () => {
    expect(decodeStarts([0, 0, 0])).toEqual([0.1, 0.21, 0.31]);
  });

  it('a cap of 1 keeps the call alone: later calls wait until it is done', () => {
    // a decodes 0.1–1.1 alone; b and c join when it ends.
    expect(decodeStarts([1, 0, 0])).toEqual([0.1, 1.1, 1.1]);
  });

  it('a call joins only a batch within its own cap, and caps the batch while it decodes', () => {
    // b (cap 2) joins a: batch of 2. c would make 3 > b's cap, so it waits until a ends at 1.1.
    expect(decodeStarts([0, 2, 0])).toEqual([0.1, 0.21, 1.1]);
    // c (cap 1) waits for the batch to empty: a ends at 1.1, b at 1.21.
    expect(decodeStarts([0, 0, 1])).toEqual([0.1, 0.21, 1.21]);
  });

  it('exact mode ignores caps', () => {
    const exact = (caps: number[]) =>
      simulate(scenario, capped(caps)).calls.map((c) => Number(c.decode_start_s.toFixed(6)));
    expect(exact([1, 1, 1])).toEqual(exact([0, 0, 0]));
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => simulate(scenario, handing({ decodeBatchCap: 0.5 }), { mode: 'realistic' })).toThrow(
      /decode batch cap 0.5: need an integer ≥ 1/,
    );
  });
});
