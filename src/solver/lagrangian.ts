/**
 * Rigorous bounds on an LP's optimum from row prices that need not come from that LP: any
 * prices of the right signs give a bound (weak duality), however they were found, and the
 * arithmetic here rounds against the bound so that floating point cannot make it claim more.
 * Nothing here trusts a solver: the prices are only a guess, checked by evaluating them.
 */
import type { Model } from './model.ts';

/** Unit roundoff of binary64. */
const U = 2 ** -53;
/** γ_n of Higham's error analysis: |fl(Σ of n products) − exact| ≤ γ_n·Σ|products|. */
const gamma = (n: number) => (n * U) / (1 - n * U);

export interface LagrangianBound {
  /** An upper bound (max) or lower bound (min) on the LP's optimum; ±Infinity when none. */
  bound: number;
  /** Part of `bound` owed to columns whose reduced cost has the wrong sign for dual feasibility. */
  infeasibility: number;
  /** Reduced cost of each column under the (sign-corrected) prices, as computed. */
  reducedCosts: Float64Array;
}

/**
 * For a maximization: every feasible z has c·z = y·Az + r·z ≤ y·b + Σ_j max over z_j ∈ [lb_j, ub_j]
 * of r_j·z_j, where r = c − Aᵀy, provided y_r ≥ 0 on ≤ rows and y_r ≤ 0 on ≥ rows (equality
 * rows take any sign). Prices of the wrong sign are set to 0, which keeps that condition.
 * Columns without a finite bound on the side their reduced cost pushes toward need one:
 * `upper` (e.g. from impliedUpperBounds) tightens the model's upper bounds. A minimization is
 * the maximization of −c, so the same argument gives a lower bound there.
 */
export function lagrangianBound(
  model: Model,
  prices: ArrayLike<number>,
  upper?: Float64Array,
): LagrangianBound {
  const m = model.constraints.length;
  const n = model.variables.length;
  if (prices.length !== m) throw new Error(`${prices.length} prices for ${m} rows`);
  const sign = model.objective.sense === 'max' ? 1 : -1;
  // In the max form (objective sign·c), a row's price must be ≥ 0 on ≤ rows, ≤ 0 on ≥ rows.
  const y = new Float64Array(m);
  let total = 0;
  let absTotal = 0;
  let terms = 0;
  for (let i = 0; i < m; i++) {
    const c = model.constraints[i]!;
    const p = sign * prices[i]!;
    y[i] = c.sense === '<=' ? Math.max(0, p) : c.sense === '>=' ? Math.min(0, p) : p;
    if (!Number.isFinite(y[i]!)) y[i] = 0;
    total += y[i]! * c.rhs;
    absTotal += Math.abs(y[i]! * c.rhs);
    terms++;
  }
  const r = new Float64Array(n);
  const abs = new Float64Array(n);
  const len = new Int32Array(n);
  const o = model.objective;
  const cost = new Float64Array(n);
  for (let k = 0; k < o.vars.length; k++) {
    cost[o.vars[k]!]! += o.coefs[k]!;
    r[o.vars[k]!]! += sign * o.coefs[k]!;
    abs[o.vars[k]!]! += Math.abs(o.coefs[k]!);
    len[o.vars[k]!]!++;
  }
  for (let i = 0; i < m; i++) {
    const yi = y[i]!;
    if (yi === 0) continue;
    const c = model.constraints[i]!;
    for (let k = 0; k < c.vars.length; k++) {
      const j = c.vars[k]!;
      const t = yi * c.coefs[k]!;
      r[j]! -= t;
      abs[j]! += Math.abs(t);
      len[j]!++;
    }
  }
  let infeasibility = 0;
  let unbounded = false;
  for (let j = 0; j < n; j++) {
    const v = model.variables[j]!;
    const ub = upper ? Math.min(v.ub, upper[j]!) : v.ub;
    // The exact reduced cost lies within err of the computed one.
    const err = gamma(len[j]! + 1) * abs[j]!;
    const hi = r[j]! + err;
    const lo = r[j]! - err;
    let best = Number.NEGATIVE_INFINITY;
    for (const rc of [lo, hi]) {
      for (const z of [v.lb, ub]) {
        const t = rc === 0 || z === 0 ? 0 : rc * z;
        if (t > best) best = t;
      }
    }
    if (best === Number.POSITIVE_INFINITY) {
      unbounded = true;
      break;
    }
    total += best;
    absTotal += Math.abs(best);
    terms++;
    // Positive reduced cost on a column with no objective value of its own: the prices are
    // not dual feasible there, and the bound pays for it through the column's upper bound.
    if (best > 0 && cost[j] === 0) infeasibility += best;
  }
  const constant = sign * o.constant;
  const bound = unbounded
    ? Number.POSITIVE_INFINITY
    : total + constant + gamma(terms + 1) * (absTotal + Math.abs(constant)) + Number.MIN_VALUE;
  const reducedCosts = r;
  if (sign === -1) for (let j = 0; j < n; j++) reducedCosts[j] = -reducedCosts[j]!;
  return { bound: sign * bound, infeasibility, reducedCosts };
}

/**
 * Upper bounds on the columns that the rows imply, given the model's own bounds: for a row
 * Σ a·x ≤ b and a column with a > 0, x_k ≤ (b − Σ_{j≠k} least a_j·x_j) / a_k (and the mirror
 * for ≥ sides), repeated `passes` times so that bounds found in one pass feed the next. Every
 * point satisfying the rows satisfies them, so they may stand in for infinite upper bounds in
 * a proof. Each is rounded up by the error bound of the sums it came from.
 */
export function impliedUpperBounds(model: Model, passes = 3): Float64Array {
  const n = model.variables.length;
  const ub = Float64Array.from(model.variables, (v) => v.ub);
  const lb = Float64Array.from(model.variables, (v) => v.lb);
  for (let pass = 0; pass < passes; pass++) {
    let changed = false;
    for (const c of model.constraints) {
      for (const side of [1, -1]) {
        // side 1: Σ a·x ≤ rhs (≤ and = rows); side −1: Σ (−a)·x ≤ −rhs (≥ and = rows).
        if (side === 1 && c.sense === '>=') continue;
        if (side === -1 && c.sense === '<=') continue;
        let least = 0;
        let absLeast = Math.abs(c.rhs);
        let infinite = 0;
        let infiniteAt = -1;
        for (let k = 0; k < c.vars.length; k++) {
          const a = side * c.coefs[k]!;
          const j = c.vars[k]!;
          const t = a > 0 ? a * lb[j]! : a * ub[j]!;
          if (t === Number.NEGATIVE_INFINITY) {
            infinite++;
            infiniteAt = k;
          } else {
            least += t;
            absLeast += Math.abs(t);
          }
        }
        const err = gamma(c.vars.length + 3) * absLeast;
        if (infinite > 1) continue;
        const rhs = side * c.rhs;
        for (let k = 0; k < c.vars.length; k++) {
          const a = side * c.coefs[k]!;
          if (!(a > 0)) continue;
          if (infinite === 1 && infiniteAt !== k) continue;
          const j = c.vars[k]!;
          const others = infinite === 1 ? least : least - a * lb[j]!;
          const bound = ((rhs - others + 2 * err) / a) * (1 + 4 * U);
          if (bound < ub[j]!) {
            ub[j] = Math.max(bound, lb[j]!);
            changed = true;
          }
        }
      }
    }
    if (!changed) break;
  }
  for (let j = 0; j < n; j++) if (ub[j]! < lb[j]!) ub[j] = lb[j]!;
  return ub;
}
