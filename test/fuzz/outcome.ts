import { expect } from 'vitest';
import { HexplanError } from '../../src/errors.ts';

/** Cases per format: a bounded number inside `npm test`, more from `npm run fuzz` (HEXPLAN_FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.HEXPLAN_FUZZ_RUNS ?? 200);
export const FUZZ_SEED = Number(process.env.HEXPLAN_FUZZ_SEED ?? 20261202);
/** Longest a single in-process case may take: far above the slowest honest case, far below a hang. */
export const CASE_BUDGET_MS = 15_000;

export interface Tally {
  ok: number;
  refused: number;
  messages: Map<string, number>;
}
export const newTally = (): Tally => ({ ok: 0, refused: 0, messages: new Map() });

/**
 * The fuzz property: a case ends in a result or in a HexplanError whose every problem is one
 * line naming one of `files` (`FILE: path: message` or `FILE:LINE: message`), in bounded time.
 * Anything else (a TypeError, a RangeError, a multi-line or file-less message) fails.
 */
export async function expectClean(files: string[], tally: Tally, run: () => unknown): Promise<void> {
  const t0 = performance.now();
  try {
    await run();
    tally.ok++;
  } catch (err) {
    if (!(err instanceof HexplanError)) throw err;
    tally.refused++;
    for (const p of err.problems) {
      expect(p, 'one line').not.toMatch(/[\n\r\u2028\u2029]/);
      expect(
        files.some((f) => p.startsWith(`${f}: `) || new RegExp(`^${escapeRe(f)}:\\d+: `).test(p)),
        `names its file: ${p}`,
      ).toBe(true);
      const shape = p.replace(/^[^:]*:(\d+:)? /, '').replace(/-?\d[\d.e+-]*/g, 'N');
      tally.messages.set(shape, (tally.messages.get(shape) ?? 0) + 1);
    }
  }
  expect(performance.now() - t0, 'time bound').toBeLessThan(CASE_BUDGET_MS);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
