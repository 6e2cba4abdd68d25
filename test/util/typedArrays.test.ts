import { describe, expect, it } from 'vitest';
import { holding } from '../../src/util/typedArrays.ts';

describe('holding', () => {
  it('returns the array itself while the index fits', () => {
    const a = new Float64Array(4);
    expect(holding(a, 3)).toBe(a);
  });

  it('grows by doubling to hold the index, keeping the values and the element type', () => {
    const a = Int32Array.from([7, 8, 9]);
    const b = holding(a, 10);
    expect(b).toBeInstanceOf(Int32Array);
    expect(b.length).toBe(12);
    expect(Array.from(b.subarray(0, 3))).toEqual([7, 8, 9]);
    expect(b[10]).toBe(0);
    expect(holding(new Float64Array(0), 0).length).toBe(1);
  });
});
