import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/policy/policy.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { cluster, profile } from './roundNumbers.ts';

// a holds the prefill lane for 1 s (and the one decode slot for 2 s); b and c queue behind it.
const call = (id: string, input: number, output: number) => ({
  id,
  input_tokens: input,
  output_tokens: output,
});
const workload = Workload.parse({
  schema: 'hexplan/workload@1',
  workflows: [
    { id: 'a', arrival_s: 0, model: 'Qwen2.5-32B', calls: [call('a', 1000, 200)] },
    { id: 'b', arrival_s: 0.1, model: 'Qwen2.5-32B', calls: [call('b', 10, 10)] },
    { id: 'c', arrival_s: 0.2, model: 'Qwen2.5-32B', calls: [call('c', 10, 10)] },
  ],
});
const scenario = makeScenario(workload, cluster, { profiles: [profile] });

/** Keys in arrival order (a 0, b 10, c 20); when c is placed, b is re-keyed to 30 if `rekey`. */
function policy(rekey: boolean): Policy {
  return {
    name: 'rekey-test',
    description: 'test',
    create(view) {
      let placed = 0;
      return {
        place(calls) {
          for (const c of calls) {
            view.assign(c, 0, 1, 10 * placed++);
            if (rekey && c === 2) view.rekey(1, 30);
          }
        },
      };
    },
  };
}

describe('re-keying a queued call', () => {
  for (const mode of ['exact', 'realistic'] as const) {
    it(`moves it in its prefill queue (${mode})`, () => {
      const fixed = simulate(scenario, policy(false), { mode, prefillTokenBudget: 10 }).trace;
      const moved = simulate(scenario, policy(true), { mode, prefillTokenBudget: 10 }).trace;
      expect(fixed.prefillStartS[1]!).toBeLessThan(fixed.prefillStartS[2]!);
      expect(moved.prefillStartS[2]!).toBeLessThan(moved.prefillStartS[1]!);
      // It is a move, not a copy: each call still runs once, and the decode key follows.
      expect(moved.decodeStartS[2]!).toBeLessThan(moved.decodeStartS[1]!);
    });
  }

  it('is refused for a call not yet placed', () => {
    const early: Policy = {
      name: 'early',
      description: 'test',
      create(view) {
        return {
          place(calls) {
            for (const c of calls) {
              if (c === 1) view.rekey(1, 0);
              view.assign(c, 0, 1, 0);
            }
          },
        };
      },
    };
    expect(() => simulate(scenario, early)).toThrow(/before placing it/);
  });
});
