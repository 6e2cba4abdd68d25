/**
 * Per-call arrays that policies fill as calls are revealed (the number of calls is not known
 * up front): `a` itself when it has index i, else a copy doubled in length until it does.
 */
export function holding<T extends Float64Array | Int32Array>(a: T, i: number): T {
  if (i < a.length) return a;
  let n = Math.max(1, a.length);
  while (n <= i) n *= 2;
  const grown = new (a.constructor as new (length: number) => T)(n);
  grown.set(a);
  return grown;
}
