/** A policy's required scale k against a bracket [LB, UB] of the optimum. */
export interface PolicyGap {
  name: string;
  scale: number;
  /** k / LB − 1 in %: the policy is at most this far above the optimum. */
  gap_upper_pct: number;
  /** k / UB − 1 in %: the policy is at least this far above the optimum. */
  gap_lower_pct: number;
}

/** k / LB − 1 and k / UB − 1, in %. */
export function gapPercents(scale: number, lowerBound: number, upperBound: number) {
  return {
    gap_upper_pct: (scale / lowerBound - 1) * 100,
    gap_lower_pct: (scale / upperBound - 1) * 100,
  };
}

/** Best scale first; ties by name in code-unit order (not locale order), the same on every machine. */
export function byScaleThenName(a: { name: string; scale: number }, b: { name: string; scale: number }) {
  return a.scale - b.scale || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
