/**
 * Nonnegative linear least squares for a handful of coefficients: min ‖A·x − b‖² with x ≥ 0.
 * Profile coefficients are costs, so a negative one (which noise can produce) is not a valid
 * profile. With k ≤ 4 unknowns, trying every subset of free coefficients (the others pinned at
 * 0) and keeping the best nonnegative solution is exact and cheap: 2^k small solves.
 * Each subset is solved by the normal equations (LU with partial pivoting, below) on columns
 * scaled to unit maximum, which keeps T² next to T and 1 well conditioned. A 6×6 solve does not
 * justify mathjs, which took about 2 s to import.
 */
export function nonnegativeLeastSquares(a: number[][], b: number[]): number[] {
  const k = a[0]?.length ?? 0;
  if (k === 0 || k > 6) throw new Error(`nonnegativeLeastSquares: need 1..6 columns, got ${k}`);
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

/** Solves M·x = v by Gaussian elimination with partial pivoting; null when M is singular. */
export function luSolve(matrix: readonly number[][], v: readonly number[]): number[] | null {
  const n = v.length;
  const a = matrix.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    // Exactly zero, as mathjs's lusolve treats it: collinear columns give an exact zero pivot.
    if (a[pivot]![col] === 0) return null; // singular: this subset's columns are collinear on the data
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = a[r]!;
      const f = row[col]! / p[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c] = row[c]! - f * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = a[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
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
