import type { Workload } from '../schema/workload.ts';
import type { CallClass } from './classes.ts';
import type { CallTable } from './types.ts';

/**
 * Each call's standalone time on the best pair among types of the given GPUs: a lower bound on
 * its standalone time in any cluster built from them (the cluster's pairs are a subset; its
 * transfers are no faster than same-node, or zero on one mixed instance).
 */
export function referenceCallS(
  workload: Workload,
  table: CallTable,
  gpus: ReadonlySet<string>,
): Float64Array {
  const { types, probe } = table;
  const out = new Float64Array(table.calls.length);
  table.calls.forEach(([w, i], k) => {
    const c = workload.workflows[w]!.calls[i]!;
    let best = Number.POSITIVE_INFINITY;
    for (const pr of table.pairs) {
      const p = types[pr.p]!;
      const d = types[pr.d]!;
      if (!gpus.has(p.gpu) || !gpus.has(d.gpu) || table.kvTokens[k]! > d.kvCapacityTokens) continue;
      const pa = table.probeInstance(pr.p, 'a');
      const da = table.probeInstance(pr.d, 'a');
      const t =
        probe.prefillS(pa, c.input_tokens) +
        probe.transferS(pa, da, c.input_tokens) +
        probe.decodeAloneS(da, c.input_tokens, c.output_tokens);
      if (t < best) best = t;
    }
    out[k] = best;
  });
  return out;
}

/**
 * ratio[c][pair] against a reference set of GPUs (see ProvisionProblem.ratio): per pair, the
 * `quantile` of the class's per-call ratios (rank ⌈q·n⌉; q = 1 is the worst call). Why a
 * quantile: the SLO asks a fraction q of workflows to meet the scale, so a pair is allowed for a
 * class when a fraction q of its calls would meet the share on it without waiting.
 */
export function classRatios(
  classes: CallClass[],
  table: CallTable,
  callIndex: Map<string, number>,
  refS: Float64Array,
  quantile = 1,
): number[][] {
  return classes.map((cls) => {
    const perPair = table.pairs.map(() => new Float64Array(cls.calls.length));
    cls.calls.forEach(([w, i], m) => {
      const k = callIndex.get(`${w}:${i}`)!;
      const lat = table.latencyS[k]!;
      const ref = refS[k]!;
      const tool = table.toolS[k]!;
      for (let j = 0; j < perPair.length; j++) {
        // No pair of the reference set holds the call, or this pair cannot: never eligible.
        const ok = Number.isFinite(ref) && Number.isFinite(lat[j]!);
        perPair[j]![m] = ok ? (tool + lat[j]!) / (tool + ref) : Number.POSITIVE_INFINITY;
      }
    });
    const rank = Math.min(cls.calls.length, Math.max(1, Math.ceil(quantile * cls.calls.length - 1e-9)));
    return perPair.map((xs) => xs.sort()[rank - 1]!);
  });
}
