import type { PlacementData } from './data.ts';
import { emptySchedule, type Schedule } from './schedule.ts';

/**
 * Durations the greedy schedules with: the exact ones (seconds) or a time-indexed model's
 * rounded ones (steps), so the same code gives that model a feasible start.
 */
export interface GreedyTimes {
  release(g: number): number;
  prefill(g: number, p: number): number;
  lag(g: number, p: number, d: number): number;
  decode(g: number, d: number): number;
  /** Earliest start of call g after dependency h's decode on d starts. */
  depLag(h: number, g: number, d: number): number;
}

export function exactTimes(data: PlacementData): GreedyTimes {
  const { calls } = data;
  const wfs = data.scenario.workload.workflows;
  const n = data.instances.length;
  // A lookup per call, built on first use: a linear search made the greedy quadratic in pairs
  // (43 s for 25 calls on 300 instances).
  const lagOf: Array<Map<number, number> | undefined> = [];
  const lag = (g: number, p: number, d: number) => {
    let m = lagOf[g];
    if (!m) {
      m = new Map(calls[g]!.pairs.map((pr) => [pr.p * n + pr.d, pr.lagS]));
      lagOf[g] = m;
    }
    return m.get(p * n + d)!;
  };
  return {
    release: (g) => wfs[calls[g]!.w]!.arrival_s + calls[g]!.toolS,
    prefill: (g, p) => calls[g]!.prefillS[p]!,
    lag,
    decode: (g, d) => calls[g]!.decodeS[d]!,
    depLag: (h, g, d) => calls[h]!.decodeS[d]! + calls[g]!.toolS,
  };
}

/**
 * A clairvoyant list schedule in exact-mode semantics: calls in order of ready time, each on
 * the (prefill, decode) pair that ends its decode earliest, inserted into the earliest gap
 * (not only at the end), so it is always feasible. It is one warm-start candidate beside the
 * online policies and the fallback horizon when no policy can run.
 */
export function greedySchedule(
  data: PlacementData,
  times: GreedyTimes = exactTimes(data),
  fixed?: { schedule: Schedule; workflows: readonly boolean[] },
): Schedule {
  const { calls, instances } = data;
  const n = calls.length;
  const s = emptySchedule(n);
  const prefillBusy: Array<Array<[number, number]>> = instances.map(() => []);
  const decodeBusy: Array<Array<[number, number, number]>> = instances.map(() => []);
  const pendingDeps = Int32Array.from(calls, (c) => c.deps.length);
  const ready = new Float64Array(n);
  const open: number[] = [];
  for (const c of calls) {
    if (fixed?.workflows[c.w]) {
      // Kept as they are; the rest is inserted into the gaps they leave.
      const f = fixed.schedule;
      const [p, d] = [f.prefillInstance[c.g]!, f.decodeInstance[c.g]!];
      s.prefillInstance[c.g] = p;
      s.decodeInstance[c.g] = d;
      s.prefillStartS[c.g] = f.prefillStartS[c.g]!;
      s.decodeStartS[c.g] = f.decodeStartS[c.g]!;
      insertSorted(prefillBusy[p]!, [f.prefillStartS[c.g]!, f.prefillStartS[c.g]! + times.prefill(c.g, p)]);
      decodeBusy[d]!.push([f.decodeStartS[c.g]!, f.decodeStartS[c.g]! + times.decode(c.g, d), c.kvTokens]);
      continue;
    }
    ready[c.g] = times.release(c.g);
    if (c.deps.length === 0) open.push(c.g);
  }
  while (open.length > 0) {
    // Earliest ready first; ties by global index so the schedule is deterministic.
    let pick = 0;
    for (let k = 1; k < open.length; k++) {
      const a = open[k]!;
      const b = open[pick]!;
      if (ready[a]! < ready[b]! || (ready[a] === ready[b] && a < b)) pick = k;
    }
    const g = open.splice(pick, 1)[0]!;
    const c = calls[g]!;
    let best: { p: number; d: number; sp: number; sd: number; end: number } | null = null;
    for (const { p, d } of c.pairs) {
      const sp = earliestGap(prefillBusy[p]!, ready[g]!, times.prefill(g, p));
      const inst = instances[d]!;
      const sd = earliestDecode(
        decodeBusy[d]!,
        sp + times.lag(g, p, d),
        times.decode(g, d),
        c.kvTokens,
        inst.kvCapacityTokens,
        inst.decodeSlots,
      );
      const end = sd + times.decode(g, d);
      if (!best || end < best.end - 1e-12) best = { p, d, sp, sd, end };
    }
    const b = best!;
    s.prefillInstance[g] = b.p;
    s.decodeInstance[g] = b.d;
    s.prefillStartS[g] = b.sp;
    s.decodeStartS[g] = b.sd;
    insertSorted(prefillBusy[b.p]!, [b.sp, b.sp + times.prefill(g, b.p)]);
    decodeBusy[b.d]!.push([b.sd, b.end, c.kvTokens]);
    for (const ch of c.children) {
      ready[ch] = Math.max(ready[ch]!, b.sd + times.depLag(g, ch, b.d));
      if (--pendingDeps[ch]! === 0) open.push(ch);
    }
  }
  return s;
}

/**
 * A model's partial schedule (active workflows only) completed into a plan: the other
 * workflows' calls go into the gaps, so nothing active moves and the objective holds.
 */
export function completeSchedule(
  data: PlacementData,
  partial: Schedule,
  active: readonly boolean[],
): Schedule {
  if (active.every((a) => a)) return partial;
  return greedySchedule(data, exactTimes(data), { schedule: partial, workflows: active });
}

function insertSorted(list: Array<[number, number]>, iv: [number, number]): void {
  let k = list.length;
  while (k > 0 && list[k - 1]![0] > iv[0]) k--;
  list.splice(k, 0, iv);
}

/** Earliest t ≥ t0 with [t, t + dur) free on a one-at-a-time lane (intervals sorted by start). */
function earliestGap(busy: Array<[number, number]>, t0: number, dur: number): number {
  let t = t0;
  for (const [a, b] of busy) {
    if (b <= t) continue;
    if (a >= t + dur) break;
    t = Math.max(t, b);
  }
  return t;
}

/**
 * Earliest t ≥ t0 where a decode of length dur fits the slots and KV for its whole interval.
 * Load is piecewise constant and only rises at interval starts, so it suffices to check t
 * and every start inside (t, t + dur); candidates are t0 and every interval end after it.
 */
function earliestDecode(
  busy: Array<[number, number, number]>,
  t0: number,
  dur: number,
  kv: number,
  cap: number,
  slots: number,
): number {
  const candidates = [t0, ...busy.map((iv) => iv[1]).filter((e) => e > t0)].sort((x, y) => x - y);
  for (const t of candidates) {
    const overlapping = busy.filter(([a, b]) => a < t + dur && b > t);
    const points = [t, ...overlapping.map((iv) => iv[0]).filter((a) => a > t)];
    const ok = points.every((tau) => {
      let load = kv;
      let count = 1;
      for (const [a, b, k] of overlapping) {
        if (a <= tau && tau < b) {
          load += k;
          count++;
        }
      }
      return load <= cap && count <= slots;
    });
    if (ok) return t;
  }
  throw new Error('unreachable: after the last interval ends the instance is empty');
}
