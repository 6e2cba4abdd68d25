import { describe, expect, it } from 'vitest';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster, type MixedTimeshare } from '../../src/schema/cluster.ts';
import { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';
import { cluster as base, profile } from './roundNumbers.ts';

// One mixed instance (prefill 1 ms per token, decode 10 ms per step whatever the batch): a
// decodes from 0.1 s for 100 steps; b's prompt is ready at 0.205 s, in the middle of a's 11th step.
const mixed = (timeshare?: MixedTimeshare) =>
  Cluster.parse({
    ...base,
    ...(timeshare === undefined ? {} : { mixed_timeshare: timeshare }),
    instances: [
      { id: 'M', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'mixed', node: 'a', decode_slots: 4 },
    ],
  });
const workload = Workload.parse({
  schema: 'hexplan/workload@1',
  workflows: [
    {
      id: 'a',
      arrival_s: 0,
      model: 'Qwen2.5-32B',
      calls: [{ id: 'a', input_tokens: 100, output_tokens: 100 }],
    },
    {
      id: 'b',
      arrival_s: 0.205,
      model: 'Qwen2.5-32B',
      calls: [{ id: 'b', input_tokens: 100, output_tokens: 50 }],
    },
  ],
});
const run = (
  timeshare: MixedTimeshare | undefined,
  mode: 'realistic' | 'exact' = 'realistic',
  prefillTokenBudget?: number,
) =>
  simulate(makeScenario(workload, mixed(timeshare), { profiles: [profile] }), 'fcfs', {
    mode,
    ...(prefillTokenBudget === undefined ? {} : { prefillTokenBudget }),
  }).calls.map((c) =>
    [c.prefill_start_s, c.prefill_end_s, c.decode_start_s, c.decode_end_s].map((t) => Number(t.toFixed(6))),
  );

describe('mixed_timeshare (realistic mode)', () => {
  it('without it, prefill and decode run side by side', () => {
    // b prefills at once (0.205–0.305) while a decodes, and joins a's batch at the step
    // boundary after (0.31); a's 100 steps end at 1.1.
    expect(run(undefined)).toEqual([
      [0, 0.1, 0.1, 1.1],
      [0.205, 0.305, 0.31, 0.81],
    ]);
    expect(run(false)).toEqual(run(undefined));
  });

  it('with it, a prefill waits for the step boundary and decode waits for the prefill', () => {
    // b's batch starts when a's 11th step ends (0.21) and lasts 0.1 s; a's 89 steps left and
    // b's 50 then run together from 0.31: b ends at 0.81, a at 1.2 (0.1 s later than side by side).
    expect(run(true)).toEqual([
      [0, 0.1, 0.1, 1.2],
      [0.21, 0.31, 0.31, 0.81],
    ]);
  });

  it('chunked: a prompt runs in iterations with the decode step, at the next step boundary', () => {
    // a's prompt alone: one iteration of 0.1 s. b's starts at a's step boundary 0.21 with a's
    // 12th step: 10 ms + 100 ms, so b's prefill ends at 0.32 and a has 88 steps left; both then
    // decode together, b's 50 steps end at 0.82 and a's 38 others at 1.2.
    expect(run('chunked')).toEqual([
      [0, 0.1, 0.1, 1.2],
      [0.21, 0.32, 0.32, 0.82],
    ]);
    // A 40-token budget: a's prompt in chunks of 40, 40, 20 (still 0.1 s, p0 = 0); b's in
    // chunks of 39, 39, 22 (a's sequence takes one token of each iteration's budget), each with
    // a step of a: 3 × 10 ms + 100 ms, prefill 0.21–0.34, then as above from there.
    expect(run('chunked', 'realistic', 40)).toEqual([
      [0, 0.1, 0.1, 1.2],
      [0.21, 0.34, 0.34, 0.84],
    ]);
  });

  it('chunked: one fixed cost per iteration, the larger of a step and a prefill batch', () => {
    // p0 = 30 ms > d0 = 10 ms: b's iteration lasts 30 + 100 ms instead of 10 + 30 + 100.
    const slowStart = { ...profile, prefill: { ...profile.prefill, p0_ms: 30 } };
    const calls = simulate(makeScenario(workload, mixed('chunked'), { profiles: [slowStart] }), 'fcfs', {
      mode: 'realistic',
    }).calls;
    // a: 0.13 s of prefill; b joins at a's step boundary after 0.205 (0.21), ends at 0.34.
    expect(
      [calls[0]!.prefill_end_s, calls[1]!.prefill_start_s, calls[1]!.prefill_end_s].map((t) =>
        Number(t.toFixed(6)),
      ),
    ).toEqual([0.13, 0.21, 0.34]);
  });

  it('on a loaded instance a timeshared GPU is never busy with both stages at once', () => {
    const sc = loadedScenario(1, 12);
    const first = sc.cluster.instances.findIndex((i) => i.role === 'prefill');
    const busy = (timeshare: MixedTimeshare) => {
      const cluster = {
        ...sc.cluster,
        mixed_timeshare: timeshare,
        instances: sc.cluster.instances.map((i, k) => (k === first ? { ...i, role: 'mixed' as const } : i)),
      };
      const run = simulate(makeScenario(sc.workload, cluster), 'hexagent', { mode: 'realistic' });
      const makespan = Math.max(...run.finishS);
      return (run.usage.prefillBusyS[first]! + run.usage.decodeBusyS[first]!) / makespan;
    };
    // Side by side, the two stages' busy times add up to more than the run (so this can fail).
    expect(busy(false)).toBeGreaterThan(1);
    expect(busy(true)).toBeLessThanOrEqual(1 + 1e-9);
    expect(busy('chunked')).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('a value other than true, false or "chunked" is refused with what is allowed', () => {
    const bad = Cluster.safeParse({ ...base, mixed_timeshare: 'yes' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['mixed_timeshare']);
    expect(bad.error?.issues[0]?.message).toBe('expected true, false or "chunked"');
  });

  it('exact mode ignores it', () => {
    expect(run(true, 'exact')).toEqual(run(false, 'exact'));
    expect(run('chunked', 'exact')).toEqual(run(false, 'exact'));
  });
});
