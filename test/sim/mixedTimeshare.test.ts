import { describe, expect, it } from 'vitest';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { loadedScenario } from '../check/oracle/tinyScenarios.ts';
import { cluster as base, profile } from './roundNumbers.ts';

// One mixed instance (prefill 1 ms per token, decode 10 ms per step whatever the batch): a
// decodes from 0.1 s for 100 steps; b's prompt is ready at 0.205 s, in the middle of a's 11th step.
const mixed = (timeshare?: boolean) =>
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
const run = (timeshare: boolean | undefined, mode: 'realistic' | 'exact' = 'realistic') =>
  simulate(makeScenario(workload, mixed(timeshare), { profiles: [profile] }), 'fcfs', { mode }).calls.map(
    (c) =>
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

  it('on a loaded instance a timeshared GPU is never busy with both stages at once', () => {
    const sc = loadedScenario(1, 12);
    const first = sc.cluster.instances.findIndex((i) => i.role === 'prefill');
    const busy = (timeshare: boolean) => {
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
  });

  it('exact mode ignores it', () => {
    expect(run(true, 'exact')).toEqual(run(false, 'exact'));
  });
});
