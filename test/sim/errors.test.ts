import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';

const FIX = 'test/fixtures/sim';

describe('user errors before simulating', () => {
  it('a call that fits no decode instance is a clear error, not a hang', () => {
    let error: unknown;
    try {
      simulate(loadScenario(`${FIX}/kv-too-big.json`, 'instances/clusters/hetero-6.json'), 'hexagent');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HexplanError);
    expect((error as HexplanError).message).toMatch(
      /kv-too-big\.json: workflows\[0\]\.calls\[1\]: call "w0\/huge" needs 400100 KV tokens/,
    );
  });

  it('unknown policies and options are named', () => {
    const sc = loadScenario(`${FIX}/two-workflows.json`, 'instances/clusters/hetero-6.json');
    expect(() => simulate(sc, 'sjf')).toThrow(/unknown policy "sjf" \(known: hexagent, fcfs/);
    expect(() => simulate(sc, 'hexagent', { policyOptions: { k: 2 } })).toThrow(
      /no option "k" \(known: k_target/,
    );
    expect(() => simulate(sc, 'hexagent', { policyOptions: { k_target: 'fast' } })).toThrow(
      /expected a number/,
    );
    expect(() => simulate(sc, 'fcfs', { policyOptions: { k_target: 2 } })).toThrow(/takes no options/);
  });

  it('policy options change decisions (k_target is read)', () => {
    const sc = loadScenario('instances/workloads/medium.json', 'instances/clusters/hetero-6.json');
    const a = simulate(sc, 'hexagent', { policyOptions: { k_target: '1' } });
    const b = simulate(sc, 'hexagent', { policyOptions: { k_target: 50, prior_levels: 0 } });
    expect(JSON.stringify(a.calls)).not.toBe(JSON.stringify(b.calls));
  });
});
