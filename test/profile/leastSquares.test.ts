import { describe, expect, it } from 'vitest';
import { luSolve, nonnegativeLeastSquares } from '../../src/profile/leastSquares.ts';

describe('luSolve', () => {
  it('solves a system that needs a row swap', () => {
    const x = luSolve(
      [
        [0, 2, 1],
        [1, 1, 0],
        [2, 0, 3],
      ],
      [5, 3, 11],
    );
    expect(x).not.toBeNull();
    const [a, b, c] = x!;
    expect(2 * b! + c!).toBeCloseTo(5, 12);
    expect(a! + b!).toBeCloseTo(3, 12);
    expect(2 * a! + 3 * c!).toBeCloseTo(11, 12);
  });

  it('returns null for a singular matrix', () => {
    expect(
      luSolve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeNull();
  });

  it('recovers nonnegative coefficients of T² + T + 1', () => {
    const ts = [100, 400, 1000, 2000, 4000];
    const a = ts.map((t) => [t * t, t, 1]);
    const b = ts.map((t) => 2e-6 * t * t + 0.05 * t + 12);
    const x = nonnegativeLeastSquares(a, b);
    expect(x[0]).toBeCloseTo(2e-6, 10);
    expect(x[1]).toBeCloseTo(0.05, 8);
    expect(x[2]).toBeCloseTo(12, 5);
  });
});
