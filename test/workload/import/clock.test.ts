import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrivalClock, instantFromNanoString, parseWallClock } from '../../../src/workload/import/clock.ts';
import { tokenStats } from '../../../src/workload/import/summary.ts';

describe('parseWallClock', () => {
  it('reads 7 fractional digits exactly, as zone-less wall clock', () => {
    expect(parseWallClock('2023-11-16 18:15:46.6805900')).toEqual({
      sec: Date.UTC(2023, 10, 16, 18, 15, 46) / 1000,
      ns: 680590000,
    });
    expect(parseWallClock('2024-02-29T00:00:00')).toEqual({ sec: Date.UTC(2024, 1, 29) / 1000, ns: 0 });
    expect(parseWallClock('1999-12-31 23:59:59.000000001')).toEqual({
      sec: Date.UTC(1999, 11, 31, 23, 59, 59) / 1000,
      ns: 1,
    });
  });

  it('names what is wrong', () => {
    expect(parseWallClock('2023-02-29 00:00:00')).toMatch(/day 29/);
    expect(parseWallClock('2023-13-01 00:00:00')).toMatch(/month 13/);
    expect(parseWallClock('2023-11-16 24:00:00')).toMatch(/time of day/);
    expect(parseWallClock('16/11/2023 18:15')).toMatch(/not YYYY-MM-DD/);
    expect(parseWallClock('2023-11-16 18:15:46.1234567890')).toMatch(/not YYYY-MM-DD/);
  });

  it('agrees with Date.UTC on every valid date (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date(Date.UTC(1900, 0, 1)),
          max: new Date(Date.UTC(2200, 0, 1)),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 9_999_999 }),
        (d, ticks) => {
          const iso = d.toISOString(); // 2023-11-16T18:15:46.680Z
          const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(ticks).padStart(7, '0')}`;
          const t = parseWallClock(text);
          expect(t).toEqual({ sec: Math.floor(d.getTime() / 1000), ns: ticks * 100 });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('instantFromNanoString', () => {
  it('splits 19-digit nanoseconds without losing precision', () => {
    expect(instantFromNanoString('1700000000123456789')).toEqual({ sec: 1700000000, ns: 123456789 });
    expect(instantFromNanoString('42')).toEqual({ sec: 0, ns: 42 });
    expect(instantFromNanoString('-1')).toBeNull();
    expect(instantFromNanoString('1e18')).toBeNull();
  });
});

describe('ArrivalClock', () => {
  it('is relative to the first row, windowed, scaled, and rejects going back in time', () => {
    const c = new ArrivalClock(1, 10, 0.5);
    expect(c.observe({ sec: 100, ns: 0 })).toBe('before-window');
    expect(c.observe({ sec: 103, ns: 500_000_000 })).toBe('ok');
    expect(c.arrivalS()).toBe(1.25); // (3.5 − 1) × 0.5
    expect(c.observe({ sec: 103, ns: 0 })).toBe('out-of-order');
    expect(c.observe({ sec: 110, ns: 0 })).toBe('after-window');
  });
});

describe('tokenStats', () => {
  it('gives nearest-rank percentiles, equal to sorting', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 400 }), (xs) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const rank = (q: number) => sorted[Math.max(1, Math.ceil(q * xs.length)) - 1];
        const total = xs.reduce((a, b) => a + b, 0);
        expect(tokenStats(xs)).toEqual({
          min: sorted[0],
          mean: Math.round((total / xs.length) * 100) / 100,
          p50: rank(0.5),
          p90: rank(0.9),
          p99: rank(0.99),
          max: sorted[sorted.length - 1],
          total,
        });
      }),
      { numRuns: 200 },
    );
  });
});
