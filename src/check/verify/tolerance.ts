/**
 * The verifier's one tolerance, stated once: a time comparison `a ≥ b` passes when
 * a ≥ b − (1e-6 s + 1e-9 · max(|a|, |b|)). 1 µs absorbs the LP solver's feasibility
 * tolerance on start times (HiGHS' default primal tolerance is 1e-7) and floating-point
 * sums over long horizons; the relative term keeps it meaningful at day-long traces.
 * The same rule compares a plan's reported objective with the recomputed one.
 */
export const ABS_TOL_S = 1e-6;
export const REL_TOL = 1e-9;

export function tolerance(a: number, b: number): number {
  return ABS_TOL_S + REL_TOL * Math.max(Math.abs(a), Math.abs(b));
}

/** a < b beyond tolerance: the violation test for "a must be ≥ b". */
export function definitelyLess(a: number, b: number): boolean {
  return a < b - tolerance(a, b);
}

export function approxEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= tolerance(a, b);
}
