import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requiredRank, requiredScale } from '../../src/slo/quantile.ts';

describe('requiredScale', () => {
  it('is the ceil(q·W)-th smallest scale', () => {
    const scales = [3, 1, 2, 5, 4];
    expect(requiredScale(scales, 0.2)).toBe(1);
    expect(requiredScale(scales, 0.5)).toBe(3);
    expect(requiredScale(scales, 0.95)).toBe(5);
    expect(requiredScale(scales, 1)).toBe(5);
  });

  it('does not round 0.95·20 up to 20 through floating-point noise', () => {
    expect(requiredRank(20, 0.95)).toBe(19);
    expect(requiredRank(100, 0.99)).toBe(99);
    expect(requiredRank(19, 0.95)).toBe(19);
  });

  it('meets the attainment definition: at least q of workflows are within it, and no smaller scale does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 50, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (scales, q) => {
          const k = requiredScale(scales, q);
          const attained = scales.filter((s) => s <= k).length / scales.length;
          expect(attained).toBeGreaterThanOrEqual(q - 1e-12);
          const below = scales.filter((s) => s < k).length / scales.length;
          expect(below).toBeLessThan(q + 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects quantiles outside (0, 1]', () => {
    expect(() => requiredRank(10, 0)).toThrow(RangeError);
    expect(() => requiredRank(10, 1.5)).toThrow(RangeError);
  });
});
