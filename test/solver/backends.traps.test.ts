/**
 * The traps: a time limit on a MIP no backend can finish, the watchdog behind a solver that
 * ignores its deadline, a model too big for HiGHS's WebAssembly heap. Timing assertions here
 * are upper bounds with generous margins (the guarantee under test is "stops", not "is fast").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { watchdogGraceS } from '../../src/solver/backends/adapter.ts';
import { loadHighsRuntime } from '../../src/solver/backends/highs.ts';
import { checkHighsSize, estimateHighsBytes } from '../../src/solver/backends/highsMemory.ts';
import { LinearExpr, Model } from '../../src/solver/model.ts';
import { closeIdleWorkers, solveModel } from '../../src/solver/solve.ts';
import { marketSplit } from './backends.models.ts';

// A warm idle worker, so the first timed test is not charged a cold start (tsx, Wasm compile).
beforeAll(async () => {
  await solveModel(marketSplit(1, 4), { solver: 'highs', isolation: 'worker', timeLimitS: 60 });
  await loadHighsRuntime(); // and this thread's runtime, for the inline test
});
afterAll(() => closeIdleWorkers());

/** Start-up of a fresh worker (tsx + WebAssembly compile) on a loaded 2-core CI machine. */
const STARTUP_SLACK_S = 3;

describe('time limit on a MIP that cannot be finished (market split 4 × 30)', () => {
  const hard = marketSplit(4, 30);

  it('highs in a worker: time_limit with an incumbent and a bound, never optimal', async () => {
    const limitS = 5;
    const seen: number[] = [];
    // Warm start: no item picked, every split absorbed by its `over` slack (objective Σ rhs),
    // so an incumbent exists even if a loaded machine leaves HiGHS little time.
    const start = new Float64Array(hard.variables.length);
    hard.constraints.forEach((c) => {
      start[hard.variables.findIndex((v) => v.name === `over${c.name.slice(5)}`)] = c.rhs;
    });
    const startObjective = hard.objectiveValue(start);
    const r = await solveModel(hard, {
      solver: 'highs',
      timeLimitS: limitS,
      isolation: 'worker',
      start,
      onProgress: (p) => seen.push(p.seconds),
    });
    expect(r.status, r.message).toBe('time_limit');
    expect(r.values).not.toBeNull();
    expect(hard.violations(r.values!)).toEqual([]);
    expect(r.objective).toBeGreaterThan(0); // the LP bound is 0 and no split is exact
    expect(r.objective).toBeLessThanOrEqual(startObjective);
    expect(r.bound).not.toBeNull();
    expect(r.bound!).toBeLessThanOrEqual(r.objective!);
    expect(r.gap!).toBeGreaterThan(0);
    expect(r.solveSeconds).toBeLessThan(limitS + watchdogGraceS(limitS) + STARTUP_SLACK_S);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('highs in this thread stops at the deadline through its interrupt callbacks', async () => {
    const r = await solveModel(hard, { solver: 'highs', timeLimitS: 2, isolation: 'inline' });
    expect(r.status).toBe('time_limit');
    expect(r.solveSeconds).toBeLessThan(2 + 2);
  });

  it.each(['glpk', 'jslp'] as const)('%s: time_limit, no bound claimed, never optimal', async (solver) => {
    const limitS = 2;
    const r = await solveModel(hard, { solver, timeLimitS: limitS, isolation: 'worker' });
    expect(r.status, r.message).toBe('time_limit');
    expect(r.bound).toBeNull();
    if (r.values) expect(hard.violations(r.values)).toEqual([]);
    expect(r.solveSeconds).toBeLessThan(limitS + watchdogGraceS(limitS) + STARTUP_SLACK_S);
  });
});

describe('watchdog', () => {
  it('terminates a solver that ignores its deadline (jslp simplex that never returns)', async () => {
    // jslp checks its timeout only between branch-and-bound nodes, and its simplex never returns
    // on this small market-split MIP: a machine-independent stand-in for "ignores its deadline"
    // (a merely slow LP finished inside the grace period on a quiet machine).
    // Long enough that a worker start on a loaded machine (1–2 s seen) leaves the solver time to hang.
    const limitS = 3;
    const r = await solveModel(marketSplit(2, 12), {
      solver: 'jslp',
      timeLimitS: limitS,
      isolation: 'worker',
    });
    expect(r.status).toBe('time_limit');
    expect(r.message).toMatch(/watchdog/);
    expect(r.values).toBeNull();
    expect(r.solveSeconds).toBeGreaterThanOrEqual(limitS);
    expect(r.solveSeconds).toBeLessThan(limitS + watchdogGraceS(limitS) + 1);
  });
});

describe('jslp under a time limit always runs in a watched worker', () => {
  it('stops a tiny MIP on which its simplex never returns', async () => {
    // Long enough that a worker start on a loaded machine (1–2 s seen) leaves the solver time to hang.
    const limitS = 3;
    const m = marketSplit(2, 12);
    const r = await solveModel(m, { solver: 'jslp', timeLimitS: limitS }); // isolation: auto
    expect(r.status).toBe('time_limit');
    expect(r.solveSeconds).toBeLessThan(limitS + watchdogGraceS(limitS) + STARTUP_SLACK_S);
  });
});

describe('HiGHS WebAssembly heap', () => {
  it('refuses a model estimated beyond the heap, naming its size', async () => {
    const m = new Model('big');
    const x = Array.from({ length: 300 }, (_, j) => m.addVar({ name: `x${j}`, ub: 1 }));
    for (let i = 0; i < 200; i++) {
      const e = new LinearExpr();
      x.forEach((v, j) => {
        e.add(1 + ((i + j) % 7), v);
      });
      m.addConstraint(`r${i}`, e, '<=', 100);
    }
    m.setObjective('max', LinearExpr.of(...x.map((v) => [1, v] as [number, typeof v])));
    const attempt = solveModel(m, { solver: 'highs', heapLimitBytes: 64 * 1024 ** 2, isolation: 'worker' });
    await expect(attempt).rejects.toBeInstanceOf(HexplanError);
    await expect(attempt).rejects.toThrow(/200 rows × 300 columns, 60000 nonzeros/);
    // Same model, real heap: solved.
    const ok = await solveModel(m, { solver: 'highs', isolation: 'inline' });
    expect(ok.status).toBe('optimal');
  });

  it('estimates grow with size and the real limit refuses a multi-million-nonzero MIP', () => {
    const small = { numCols: 1e4, numRows: 1e4, nonzeros: 1e5, isMip: true };
    const big = { numCols: 1e6, numRows: 1e6, nonzeros: 4e6, isMip: true };
    expect(estimateHighsBytes(big)).toBeGreaterThan(estimateHighsBytes(small));
    expect(() => checkHighsSize(small)).not.toThrow();
    expect(() => checkHighsSize(big)).toThrow(/1000000 rows × 1000000 columns, 4000000 nonzeros \(MIP\)/);
  });
});
