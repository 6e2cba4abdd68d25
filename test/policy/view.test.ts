import { describe, expect, it } from 'vitest';
import type { Policy } from '../../src/policy/policy.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';

const scenario = () =>
  loadScenario('test/fixtures/sim/two-workflows.json', 'instances/clusters/hetero-6.json');

/** A policy that places like fcfs and additionally tries to read call `peek`. */
function peeking(peek: (calls: readonly number[]) => number): Policy {
  return {
    name: 'peek',
    description: 'test',
    create(view) {
      return {
        place(calls) {
          view.inputTokens(peek(calls));
          for (const c of calls) {
            const m = view.modelOf(view.workflowOf(c));
            view.assign(c, view.prefillInstances(m)[0]!.index, view.decodeInstances(m)[0]!.index, view.nowS);
          }
        },
      };
    },
  };
}

describe('PolicyView enforces online reveal', () => {
  it('lets a policy read the calls revealed so far', () => {
    // Calls are numbered in workload order; call 0 (w0/a) is revealed first and stays readable.
    expect(() =>
      simulate(
        scenario(),
        peeking(() => 0),
      ),
    ).not.toThrow();
  });

  it('throws when a policy reads a call that is not revealed yet', () => {
    // At the first decision only w0/a (call 0) is ready; call 1 (w0/b) depends on it.
    expect(() =>
      simulate(
        scenario(),
        peeking(() => 1),
      ),
    ).toThrow(/before it was revealed/);
  });

  it('does not expose the workload: no workflow size, no children', () => {
    let keys: string[] = [];
    const spy: Policy = {
      name: 'spy',
      description: 'test',
      create(view) {
        keys = Object.keys(view);
        return peeking(() => 0).create(view, { options: {}, mode: 'exact', prefillTokenBudget: 8192 });
      },
    };
    simulate(scenario(), spy);
    expect(keys.sort()).toEqual(['cost', 'instances', 'state']);
  });

  it('rejects a policy that leaves a ready call unplaced or places it twice', () => {
    const lazy: Policy = { name: 'lazy', description: 'test', create: () => ({ place() {} }) };
    expect(() => simulate(scenario(), lazy)).toThrow(/placed 0 of 1/);
    const twice: Policy = {
      name: 'twice',
      description: 'test',
      create(view) {
        return {
          place(calls) {
            for (const c of [...calls, ...calls]) {
              const m = view.modelOf(view.workflowOf(c));
              view.assign(c, view.prefillInstances(m)[0]!.index, view.decodeInstances(m)[0]!.index, 0);
            }
          },
        };
      },
    };
    expect(() => simulate(scenario(), twice)).toThrow(/assigned call 0 twice/);
  });
});
