import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { getBackend } from '../../src/solver/backends/registry.ts';
import { registerRunner, SOLVER_NAMES } from '../../src/solver/backends/runners.ts';
import { mapInBatches } from '../../src/solver/parallel.ts';
import { solveModel } from '../../src/solver/solve.ts';
import { runner } from '../fixtures/solver/throwawayRunner.ts';
import { KNOWN_CASES } from './backends.models.ts';

/**
 * Adding a solver is its runner file and one registration: a throwaway solver registered
 * here (jslp's runner under another name) solves through the same verification, inline and,
 * since it names its module, in a watched worker thread too.
 */
describe('solver registry', () => {
  it('a registered throwaway solver solves inline and in a worker, verified like the others', async () => {
    registerRunner(runner);
    expect(SOLVER_NAMES).toContain('throwaway');
    expect(() => registerRunner(runner)).toThrow(/registered already/);
    const known = KNOWN_CASES.find((k) => k.status === 'optimal' && k.objective !== undefined)!;
    for (const isolation of ['inline', 'worker'] as const) {
      const r = await solveModel(known.build(), { solver: 'throwaway', isolation, timeLimitS: 20 });
      expect(r.status, `${isolation}: ${r.message}`).toBe('optimal');
      expect(r.objective).toBeCloseTo(known.objective!, 6);
    }
  });

  it('a plug-in without a module cannot be sent to a worker, and says so', async () => {
    registerRunner({ ...runner, name: 'no-module', moduleUrl: undefined });
    const known = KNOWN_CASES[0]!;
    await expect(solveModel(known.build(), { solver: 'no-module', isolation: 'worker' })).rejects.toThrow(
      /no moduleUrl/,
    );
    expect((await solveModel(known.build(), { solver: 'no-module' })).status).toBe(known.status);
    // `parallel` asks for a worker only where one can load the solver: here it solves inline.
    expect((await solveModel(known.build(), { solver: 'no-module', isolation: 'parallel' })).status).toBe(
      known.status,
    );
  });

  it('solves with isolation "parallel" answer as inline, in the order of their models', async () => {
    const known = KNOWN_CASES.filter((k) => k.status === 'optimal' && k.objective !== undefined);
    const inline = await Promise.all(known.map((k) => solveModel(k.build(), { isolation: 'inline' })));
    const parallel = await mapInBatches(known, (k) => solveModel(k.build(), { isolation: 'parallel' }));
    expect(parallel.map((r) => [r.status, r.objective])).toEqual(inline.map((r) => [r.status, r.objective]));
  });

  it('an unknown solver is a user error naming the known ones', () => {
    expect(() => getBackend('nope')).toThrow(HexplanError);
    expect(() => getBackend('nope')).toThrow(/known: highs, glpk, jslp/);
  });
});
