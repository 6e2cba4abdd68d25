/**
 * Nonnegative linear least squares for a handful of coefficients: min ‖A·x − b‖² with x ≥ 0.
 * Profile coefficients are costs, so a negative one (which noise can produce) is not a valid
 * profile. With k ≤ 10 unknowns, trying every subset of free coefficients (the others pinned at
 * 0) and keeping the best nonnegative solution is exact and cheap: at most 2^10 small solves.
 * Each subset is solved by the normal equations on columns scaled to unit maximum, which keeps
 * T² next to T and 1 well conditioned.
 */
export function nonnegativeLeastSquares(a: number[][], b: number[]): number[] {
  const k = a[0]?.length ?? 0;
  if (k === 0 || k > 10) throw new Error(`nonnegativeLeastSquares: need 1..10 columns, got ${k}`);
  const scale = Array.from({ length: k }, (_, j) => Math.max(...a.map((row) => Math.abs(row[j]!))) || 1);
  const scaled = a.map((row) => row.map((v, j) => v / scale[j]!));
  let best: number[] | null = null;
  let bestSse = Number.POSITIVE_INFINITY;
  for (let mask = 1; mask < 1 << k; mask++) {
    const cols = [...Array(k).keys()].filter((j) => mask & (1 << j));
    const x = solveSubset(scaled, b, cols);
    if (!x) continue;
    const full = new Array<number>(k).fill(0);
    cols.forEach((j, i) => {
      full[j] = x[i]!;
    });
    if (full.some((v) => v < 0)) continue;
    const sse = sumSquaredError(scaled, b, full);
    // Prefer the larger model only when it is strictly better (ties keep fewer coefficients).
    if (sse < bestSse * (1 - 1e-12)) {
      bestSse = sse;
      best = full;
    }
  }
  const x = best ?? new Array<number>(k).fill(0);
  return x.map((v, j) => v / scale[j]!);
}

function solveSubset(a: number[][], b: number[], cols: number[]): number[] | null {
  const m = cols.length;
  const ata = cols.map((i) => cols.map((j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0)));
  const atb = cols.map((i) => a.reduce((s, row, r) => s + row[i]! * b[r]!, 0));
  const x = luSolve(ata, atb);
  return x && x.length === m && x.every(Number.isFinite) ? x : null;
}

/**
 * Gaussian elimination with partial pivoting for the ≤ 10 × 10 normal equations; null when
 * singular (the subset's columns are collinear on the data). Hand-written rather than mathjs's
 * lusolve: every scenario load fits the built-in profiles, and importing mathjs alone took 6 s
 * (`node -e "import('mathjs')"` at load average 20), ten times the whole fit.
 */
export function luSolve(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...m.flat().map(Math.abs)) || 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) <= 1e-14 * scale) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      for (let k = col; k <= n; k++) m[r]![k]! -= f * m[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = m[r]![n]!;
    for (let k = r + 1; k < n; k++) v -= m[r]![k]! * x[k]!;
    x[r] = v / m[r]![r]!;
  }
  return x;
}

function sumSquaredError(a: number[][], b: number[], x: number[]): number {
  let sse = 0;
  a.forEach((row, r) => {
    const pred = row.reduce((s, v, j) => s + v * x[j]!, 0);
    sse += (pred - b[r]!) ** 2;
  });
  return sse;
}

/** Goodness of fit in the data's units: RMSE and the largest relative error |pred − y| / y. */
export function fitErrors(predicted: readonly number[], measured: readonly number[]) {
  let sse = 0;
  let maxRel = 0;
  predicted.forEach((p, i) => {
    const y = measured[i]!;
    sse += (p - y) ** 2;
    if (y !== 0) maxRel = Math.max(maxRel, Math.abs(p - y) / Math.abs(y));
  });
  return { rmse: Math.sqrt(sse / measured.length), maxRelError: maxRel };
}
