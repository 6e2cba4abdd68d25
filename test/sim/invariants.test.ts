import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLICY_NAMES } from '../../src/policy/registry.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import { simulate } from '../../src/sim/simulate.ts';
import type { SimMode } from '../../src/sim/types.ts';
import { invariantViolations } from './invariants.ts';
import { randomCluster, randomWorkload } from './randomWorkload.ts';

const ONLINE = POLICY_NAMES.filter((p) => p !== 'replay');
const MODES: SimMode[] = ['exact', 'realistic'];

const scenarioArb = fc
  .record({
    wSeed: fc.integer({ min: 1, max: 1_000_000 }),
    cSeed: fc.integer({ min: 1, max: 1_000_000 }),
    workflows: fc.integer({ min: 1, max: 14 }),
    instances: fc.integer({ min: 2, max: 7 }),
    rate: fc.constantFrom(0.5, 2, 8),
    maxInput: fc.constantFrom(500, 3000, 9000),
  })
  .map((o) => {
    const wl = randomWorkload(o.wSeed, { workflows: o.workflows, ratePerS: o.rate, maxInput: o.maxInput });
    return { o, scenario: makeScenario(wl, Cluster.parse(randomCluster(o.cSeed, o.instances))) };
  });

describe('simulator invariants (property)', () => {
  for (const mode of MODES) {
    it(`every policy keeps every invariant in ${mode} mode`, () => {
      fc.assert(
        fc.property(scenarioArb, fc.constantFrom(...ONLINE), ({ scenario }, policy) => {
          const budget = 4096;
          const r = simulate(scenario, policy, { mode, prefillTokenBudget: budget });
          expect(invariantViolations(scenario, r, budget)).toEqual([]);
        }),
        { numRuns: 60, seed: mode === 'exact' ? 11 : 12 },
      );
    });
  }

  it('is deterministic: same inputs, identical records', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom(...ONLINE),
        fc.constantFrom(...MODES),
        ({ o }, policy, mode) => {
          const run = () => {
            const wl = randomWorkload(o.wSeed, {
              workflows: o.workflows,
              ratePerS: o.rate,
              maxInput: o.maxInput,
            });
            const sc = makeScenario(wl, Cluster.parse(randomCluster(o.cSeed, o.instances)));
            const r = simulate(sc, policy, { mode });
            return JSON.stringify([r.calls, r.workflows, r.metrics]);
          };
          expect(run()).toBe(run());
        },
      ),
      { numRuns: 15, seed: 13 },
    );
  });
});

describe('the invariant checker itself', () => {
  const wl = randomWorkload(5, { workflows: 12, ratePerS: 6, maxInput: 6000 });
  const sc = makeScenario(wl, Cluster.parse(randomCluster(6, 4, 2)));
  const fresh = () => simulate(sc, 'fcfs');

  it('accepts a correct run and flags each kind of tampering', () => {
    expect(invariantViolations(sc, fresh())).toEqual([]);
    const cases: Array<[string, (t: ReturnType<typeof fresh>['trace']) => void, RegExp]> = [
      [
        'prefill before ready',
        (t) => (t.prefillStartS[3]! -= 0.5),
        /prefill starts before ready|prefills overlap|duration/,
      ],
      [
        'decode before transfer',
        (t) => (t.decodeStartS[2]! = t.transferEndS[2]! - 0.01),
        /before its KV arrives/,
      ],
      [
        'overlapping prefills',
        (t) => {
          const p = t.prefillInstance[0]!;
          const other = Array.from(t.prefillInstance).findIndex((x, k) => k > 0 && x === p);
          t.prefillStartS[other] = t.prefillStartS[0]!;
          t.prefillEndS[other] = t.prefillEndS[0]!;
        },
        /prefills overlap|ready|transfer|duration/,
      ],
      [
        'too many decodes',
        (t) => {
          for (let k = 0; k < t.decodeStartS.length; k++) {
            t.decodeEndS[k] = 1e6 + t.decodeEndS[k]! - t.decodeStartS[k]!;
            t.decodeStartS[k] = 1e6;
          }
        },
        /slots|KV/,
      ],
    ];
    for (const [, tamper, pattern] of cases) {
      const r = fresh();
      tamper(r.trace);
      expect(invariantViolations(sc, r).join('\n')).toMatch(pattern);
    }
  });
});
