/**
 * docs/concepts.md's required SLO scale at quantile q: the smallest k with attainment ≥ q, i.e. the
 * ⌈q·W⌉-th smallest scale, computed exactly (no sweep over k).
 */
export function requiredScale(scales: ArrayLike<number>, quantile: number): number {
  const n = scales.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(scales).sort();
  return sorted[requiredRank(n, quantile) - 1]!;
}

/** ⌈q·W⌉, guarded against floating-point noise (0.95·20 must be 19, not 19.000000000000004 → 20). */
export function requiredRank(workflows: number, quantile: number): number {
  if (!(quantile > 0 && quantile <= 1)) throw new RangeError(`quantile ${quantile} outside (0, 1]`);
  const raw = quantile * workflows;
  const rounded = Math.round(raw);
  const rank = Math.abs(raw - rounded) < 1e-9 ? rounded : Math.ceil(raw);
  return Math.min(workflows, Math.max(1, rank));
}
