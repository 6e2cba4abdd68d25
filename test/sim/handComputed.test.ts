import { describe, expect, it } from 'vitest';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { cluster, profile } from './roundNumbers.ts';

// a (1000 in, 100 out) → b (500 in, 50 out) and c (200 in, 20 out), both ready when a ends.
const workload = Workload.parse({
  schema: 'hexplan/workload@1',
  workflows: [
    {
      id: 'w',
      arrival_s: 0,
      model: 'Qwen2.5-32B',
      calls: [
        { id: 'a', input_tokens: 1000, output_tokens: 100 },
        { id: 'b', input_tokens: 500, output_tokens: 50, deps: ['a'] },
        { id: 'c', input_tokens: 200, output_tokens: 20, deps: ['a'] },
      ],
    },
  ],
});

const scenario = makeScenario(workload, cluster, { profiles: [profile] });
const transfer = (tokens: number) => (tokens * 100) / 1e9 + 0.001; // bytes / (1 GB/s) + 1 ms

describe('hand-computed 3-call run', () => {
  it('has the KV capacity and standalone time the formulas give', () => {
    expect(scenario.cost.instances[1]!.kvCapacityTokens).toBe(Math.floor((1e6 * 0.9 - 1) / 100));
    // a: 1.0 prefill + transfer(1000) + 100 × 10 ms; then the longer branch b: 0.5 + transfer(500) + 50 × 10 ms.
    const s = 1.0 + transfer(1000) + 1.0 + (0.5 + transfer(500) + 0.5);
    expect(scenario.standaloneS[0]).toBeCloseTo(s, 12);
  });

  it('exact mode (fcfs): every timestamp', () => {
    const r = simulate(scenario, 'fcfs');
    const [a, b, c] = r.calls;
    const aEnd = 1.0 + transfer(1000) + 100 * 0.01; // 2.0011
    expect(a).toMatchObject({ ready_s: 0, prefill_start_s: 0, prefill_end_s: 1.0 });
    expect(a!.transfer_end_s).toBeCloseTo(1.0011, 12);
    expect(a!.decode_start_s).toBeCloseTo(1.0011, 12);
    expect(a!.decode_end_s).toBeCloseTo(aEnd, 12);
    // b and c are ready together; equal ready time → call order: b prefills first.
    expect(b!.ready_s).toBeCloseTo(aEnd, 12);
    expect(b!.prefill_start_s).toBeCloseTo(aEnd, 12);
    expect(b!.prefill_end_s).toBeCloseTo(aEnd + 0.5, 12);
    expect(c!.prefill_start_s).toBeCloseTo(aEnd + 0.5, 12);
    expect(c!.prefill_end_s).toBeCloseTo(aEnd + 0.7, 12);
    const bDecode = aEnd + 0.5 + transfer(500); // 2.50215
    expect(b!.decode_start_s).toBeCloseTo(bDecode, 12);
    expect(b!.decode_end_s).toBeCloseTo(bDecode + 0.5, 12);
    // c's KV arrives at 2.70212 but the single decode slot is busy until b ends at 3.00215.
    expect(c!.transfer_end_s).toBeCloseTo(aEnd + 0.7 + transfer(200), 12);
    expect(c!.decode_start_s).toBeCloseTo(bDecode + 0.5, 12);
    expect(c!.decode_end_s).toBeCloseTo(bDecode + 0.5 + 0.2, 12);
    expect(r.finishS[0]).toBeCloseTo(3.20215, 12);
    expect(r.scales[0]).toBeCloseTo(3.20215 / 3.00215, 12);
    expect(r.metrics.p95).toBeCloseTo(3.20215 / 3.00215, 12);
  });

  it('realistic mode (fcfs): b and c share one prefill batch, c decodes first', () => {
    const r = simulate(scenario, 'fcfs', { mode: 'realistic' });
    const [, b, c] = r.calls;
    const aEnd = 2.0011; // 100 steps of 10 ms with d2 = 0 is exactly the exact-mode decode
    expect(b!.prefill_start_s).toBeCloseTo(aEnd, 12);
    expect(b!.prefill_end_s).toBeCloseTo(aEnd + 0.7, 12); // one batch of 700 tokens
    expect(c!.prefill_end_s).toBeCloseTo(aEnd + 0.7, 12);
    // c's smaller KV arrives first (2.70212 < 2.70215) and takes the single slot.
    expect(c!.decode_start_s).toBeCloseTo(aEnd + 0.7 + transfer(200), 12);
    expect(c!.decode_end_s).toBeCloseTo(aEnd + 0.7 + transfer(200) + 0.2, 12);
    expect(b!.decode_start_s).toBeCloseTo(c!.decode_end_s, 12);
    expect(b!.decode_end_s).toBeCloseTo(aEnd + 0.7 + transfer(200) + 0.2 + 0.5, 12);
    expect(r.finishS[0]).toBeCloseTo(3.40212, 12);
  });

  it('realistic mode prefills one call at a time when the budget is below two prompts', () => {
    const r = simulate(scenario, 'fcfs', { mode: 'realistic', prefillTokenBudget: 600 });
    const [, b, c] = r.calls;
    expect(b!.prefill_end_s).toBeCloseTo(2.0011 + 0.5, 12);
    expect(c!.prefill_start_s).toBeCloseTo(2.0011 + 0.5, 12);
  });
});
