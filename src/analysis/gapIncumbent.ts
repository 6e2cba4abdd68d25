import { byScaleThenName, gapPercents } from './policyGap.ts';

/**
 * The best bracket a gap run holds so far (every bound in it already checked: the upper bound
 * is a verified or simulated schedule, the lower bound a valid bound). An interrupted run
 * reports it instead of losing the policies and bounds it had already computed.
 */
export interface GapIncumbent {
  mode: 'exact' | 'realistic';
  quantile: number;
  workflows: number;
  calls: number;
  /** null before any lower bound is known (realistic mode: until its LP search ends). */
  lower_bound: number | null;
  lower_bound_source: string;
  upper_bound: number;
  upper_bound_source: string;
  policies: ReadonlyArray<{ name: string; scale: number; verified?: boolean }>;
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** `hexplan/gap-result@1` of an interrupted run: the incumbent bracket, `interrupted: true`. */
export function interruptedGapResult(inc: GapIncumbent) {
  const lb = inc.lower_bound;
  const ub = inc.upper_bound;
  return {
    interrupted: true as const,
    mode: inc.mode,
    quantile: inc.quantile,
    workflows: inc.workflows,
    calls: inc.calls,
    optimum: {
      status: 'interrupted' as const,
      lower_bound: lb,
      lower_bound_source: inc.lower_bound_source,
      upper_bound: finiteOrNull(ub),
      upper_bound_source: inc.upper_bound_source,
    },
    policies: [...inc.policies].sort(byScaleThenName).map((p) => {
      const gaps = gapPercents(p.scale, lb ?? Number.NaN, ub);
      return {
        name: p.name,
        scale: p.scale,
        gap_upper_pct: lb === null ? null : finiteOrNull(gaps.gap_upper_pct),
        gap_lower_pct: finiteOrNull(gaps.gap_lower_pct),
        ...(p.verified !== undefined ? { verified: p.verified } : {}),
      };
    }),
    notes: ['interrupted: the bracket holds the bounds proven before the signal'],
  };
}
