import { optionError } from '../errors.ts';
import { LIMITS } from '../schema/limits.ts';
import type { Workload } from '../schema/workload.ts';

/**
 * Call classes for provisioning. Choice (stated in docs/provision.md): classes are token-length
 * buckets per model, ⌊log2 input⌋ × ⌊log2 output⌋, because service demand and latency
 * eligibility depend on the tokens, not on the family name, and imported traces have no family.
 * When there are more than `maxClasses`, the class with the fewest calls is merged into the
 * nearest class of the same model (distance in log2 mean tokens) until the cap holds.
 */
export interface CallClass {
  id: string;
  model: string;
  /** Calls of the class as [workflow index, call index]. */
  calls: Array<[number, number]>;
  /** Calls per second over the workload's span. */
  ratePerS: number;
  inputTokens: TokenStats;
  outputTokens: TokenStats;
}

export interface TokenStats {
  min: number;
  mean: number;
  max: number;
}

export interface ClassOptions {
  maxClasses?: number;
  /** Each call's start in standalone execution, workload order, for the span (see `workloadSpanS`). */
  callStartS?: ArrayLike<number>;
}

export const DEFAULT_MAX_CLASSES = 50;

interface Bucket {
  model: string;
  calls: Array<[number, number]>;
  sumLogIn: number;
  sumLogOut: number;
}

export function deriveClasses(workload: Workload, options: ClassOptions = {}): CallClass[] {
  const maxClasses = options.maxClasses ?? DEFAULT_MAX_CLASSES;
  const byKey = new Map<string, Bucket>();
  workload.workflows.forEach((wf, w) => {
    wf.calls.forEach((c, i) => {
      const li = Math.log2(c.input_tokens);
      const lo = Math.log2(c.output_tokens);
      const key = `${wf.model}\0${String(Math.floor(li)).padStart(3, '0')}\0${String(Math.floor(lo)).padStart(3, '0')}`;
      let b = byKey.get(key);
      if (!b) byKey.set(key, (b = { model: wf.model, calls: [], sumLogIn: 0, sumLogOut: 0 }));
      b.calls.push([w, i]);
      b.sumLogIn += li;
      b.sumLogOut += lo;
    });
  });
  const buckets = [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([, b]) => b);
  const models = new Set(buckets.map((b) => b.model));
  if (models.size > maxClasses) {
    throw new Error(`${models.size} models exceed the class cap ${maxClasses}`);
  }
  while (buckets.length > maxClasses) mergeSmallest(buckets);
  const spanS = workloadSpanS(workload, options.callStartS);
  return buckets.map((b, k) => {
    const ins = b.calls.map(([w, i]) => workload.workflows[w]!.calls[i]!.input_tokens);
    const outs = b.calls.map(([w, i]) => workload.workflows[w]!.calls[i]!.output_tokens);
    return {
      id: `c${String(k).padStart(2, '0')}`,
      model: b.model,
      calls: b.calls,
      ratePerS: b.calls.length / spanS,
      inputTokens: stats(ins),
      outputTokens: stats(outs),
    };
  });
}

function mergeSmallest(buckets: Bucket[]): void {
  let small = -1;
  for (let k = 0; k < buckets.length; k++) {
    const b = buckets[k]!;
    if (!buckets.some((o, j) => j !== k && o.model === b.model)) continue;
    if (small < 0 || b.calls.length < buckets[small]!.calls.length) small = k;
  }
  const s = buckets[small]!;
  let best = -1;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let k = 0; k < buckets.length; k++) {
    const b = buckets[k]!;
    if (k === small || b.model !== s.model) continue;
    const d = Math.hypot(
      b.sumLogIn / b.calls.length - s.sumLogIn / s.calls.length,
      b.sumLogOut / b.calls.length - s.sumLogOut / s.calls.length,
    );
    if (d < bestDist) {
      bestDist = d;
      best = k;
    }
  }
  const into = buckets[best]!;
  into.calls.push(...s.calls);
  into.calls.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  into.sumLogIn += s.sumLogIn;
  into.sumLogOut += s.sumLogOut;
  buckets.splice(small, 1);
}

function stats(xs: number[]): TokenStats {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let sum = 0;
  for (const x of xs) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
  }
  return { min, mean: sum / xs.length, max };
}

/**
 * The time over which the workload's calls are counted. With call start times (standalone
 * execution, `standaloneStartS`): the window holding their central 90%, scaled to all calls,
 * (t95 − t5) / 0.9 — robust to a few long workflows whose last calls start long after the
 * others, which would otherwise dilute the rate of a short workload. Without: the arrival span.
 * A degenerate window (a burst) falls back to the full range, then to 1 s.
 */
export function workloadSpanS(workload: Workload, callStartS?: ArrayLike<number>): number {
  const times = callStartS
    ? Float64Array.from(callStartS)
    : Float64Array.from(workload.workflows, (w) => w.arrival_s);
  times.sort();
  const at = (q: number) =>
    times[Math.min(times.length - 1, Math.max(0, Math.round(q * (times.length - 1))))]!;
  const central = (at(0.95) - at(0.05)) / 0.9;
  if (central > 0) return central;
  const full = times[times.length - 1]! - times[0]!;
  return full > 0 ? full : 1;
}

/** The workload at m× its load: arrivals compressed toward time 0 (arrival_s / m). */
export function scaleLoad(workload: Workload, rateMultiplier: number): Workload {
  if (rateMultiplier === 1) return workload;
  const { minRateMultiplier: lo, maxRateMultiplier: hi, maxTimeS } = LIMITS;
  if (!(rateMultiplier >= lo && rateMultiplier <= hi))
    throw optionError('rateMultiplier', `${rateMultiplier} is outside the limits [${lo}, ${hi}]`);
  const workflows = workload.workflows.map((w) => ({ ...w, arrival_s: w.arrival_s / rateMultiplier }));
  const last = workflows.reduce((m, w) => Math.max(m, w.arrival_s), 0);
  if (!(last <= maxTimeS))
    throw optionError(
      'rateMultiplier',
      `${rateMultiplier} puts the last arrival at ${last} s, above the limit ${maxTimeS} s`,
    );
  return { ...workload, workflows };
}
