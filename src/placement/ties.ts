import { LinearExpr, type Model, type Var } from '../solver/model.ts';
import type { PlacementData } from './data.ts';

/**
 * Ties: the order binaries o decide which of two decodes starting at the same instant counts
 * the other. Among three or more tied decodes on one instance a cyclic o (a before b before c
 * before a) would let every one of them count only one other and overload the instance, so o
 * must be transitive wherever three decodes can tie: their start windows share an instant and
 * they share a decode instance where one of them has capacity rows. A 3-cycle needs all three starts equal, so no other triple
 * needs the rows, and the lexicographic (start, index) order of any schedule satisfies them.
 */
export function addTieTransitivity(
  model: Model,
  data: PlacementData,
  o: Map<number, Var>,
  key: (i: number, j: number) => number,
  n: number,
  lstSd: number[],
  hasCapacityRows: (g: number, d: number) => boolean,
): number {
  const { calls } = data;
  const neighbours: number[][] = calls.map(() => []);
  for (const k of o.keys()) {
    const i = Math.floor(k / n);
    const j = k % n;
    neighbours[i]!.push(j);
  }
  let triples = 0;
  for (let i = 0; i < n; i++) {
    const ns = neighbours[i]!.sort((x, y) => x - y);
    for (let a = 0; a < ns.length; a++) {
      const j = ns[a]!;
      for (let b2 = a + 1; b2 < ns.length; b2++) {
        const k = ns[b2]!;
        const ojk = o.get(key(j, k));
        if (!ojk) continue;
        const [ci, cj, ck] = [calls[i]!, calls[j]!, calls[k]!];
        const lo = Math.max(ci.estDecodeS, cj.estDecodeS, ck.estDecodeS);
        const hi = Math.min(lstSd[i]!, lstSd[j]!, lstSd[k]!);
        if (lo > hi) continue;
        // Only an instance where one of them has capacity rows can be overloaded by a cycle.
        const shared = ci.decode.filter((d) => cj.decode.includes(d) && ck.decode.includes(d));
        if (!shared.some((d) => hasCapacityRows(i, d) || hasCapacityRows(j, d) || hasCapacityRows(k, d)))
          continue;
        const oij = o.get(key(i, j))!;
        const oik = o.get(key(i, k))!;
        // i<j<k: o_ij ∧ o_jk ⇒ o_ik, and ¬o_ij ∧ ¬o_jk ⇒ ¬o_ik.
        model.addConstraint(`tri_${i}_${j}_${k}`, LinearExpr.of([1, oij], [1, ojk], [-1, oik]), '<=', 1);
        model.addConstraint(`tri_${k}_${j}_${i}`, LinearExpr.of([1, oij], [1, ojk], [-1, oik]), '>=', 0);
        triples++;
      }
    }
  }
  return triples;
}
