import { countAtMost } from '../util/sortedSearch.ts';
import { requiredScale } from './quantile.ts';

/** Fraction of workflows with scale ≤ k (DESIGN.md "attainment at k"). */
export function attainment(scales: ArrayLike<number>, k: number): number {
  const n = scales.length;
  if (n === 0) return Number.NaN;
  let met = 0;
  for (let i = 0; i < n; i++) if (scales[i]! <= k) met++;
  return met / n;
}

/**
 * Attainment curve as [k, fraction] points: at each given k, or by default at a fixed grid
 * (1 to 10 by 0.25, then the scales needed for 50/90/95/99/100 %), sorted by k.
 */
export function attainmentCurve(scales: ArrayLike<number>, ks?: readonly number[]): Array<[number, number]> {
  const sorted = Float64Array.from(scales).sort();
  const grid = ks ?? defaultGrid(sorted);
  return [...new Set(grid)]
    .sort((a, b) => a - b)
    .map((k) => [k, countAtMost(sorted, k) / (sorted.length || 1)] as [number, number]);
}

function defaultGrid(sorted: Float64Array): number[] {
  const ks: number[] = [];
  for (let k = 1; k <= 10 + 1e-9; k += 0.25) ks.push(Math.round(k * 100) / 100);
  if (sorted.length > 0) for (const q of [0.5, 0.9, 0.95, 0.99, 1]) ks.push(requiredScale(sorted, q));
  return ks;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length > 0 ? s / values.length : Number.NaN;
}

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
