import type { Scenario } from '../scenario/scenario.ts';
import { LinearExpr, Model, type Var } from '../solver/model.ts';
import type { RealisticFloors } from './realisticFloors.ts';

/**
 * The time-interval LP that decides whether a target scale k may be reachable in realistic
 * mode (docs/bounds.md proves every ingredient is a relaxation):
 *
 *   max Σ_w met_w,  0 ≤ met_w ≤ 1
 *   per call class c and stage:   Σ_{g,t ∈ window} x[c,g,t] = Σ_{i ∈ c} base_i · met_{w(i)}
 *   per group g and interval t:   Σ_c ratio[c,g] · x[c,g,t] ≤ count_g · len_t         (prefill, decode work)
 *                                 Σ_c kv[c,g] · y[c,g,t] ≤ count_g · kvCap_g · len_t  (KV held)
 *                                 Σ_c el[c,g] · y[c,g,t] ≤ count_g · slots_g · len_t  (batch size)
 *
 * A call may use group g in interval t only if t meets its window on g: after its earliest
 * release, ending early enough that the rest of its workflow still fits before the deadline
 * a_w + k·s_w, and long enough for its batch-of-one duration there. A workflow with a call
 * that fits no group's window has met_w = 0. If the optimum is below ⌈q·W⌉, no schedule
 * reaches k.
 *
 * Aggregation, each a relaxation: intervals (a window is widened to whole intervals), groups
 * of identical instances (one pool), and call classes (calls of the same model with the same
 * window on every group share one commodity; a class pays, per unit of base work, the least
 * ratio among its calls).
 */
export interface RealisticLp {
  model: Model;
  /** ⌈q·W⌉: the LP optimum must reach it for k to stay possible. */
  required: number;
  /** Workflows whose every call fits some window (met_w may be positive). */
  possible: number;
  intervals: number;
  classes: number;
}

export interface RealisticLpOptions {
  /** Intervals of the time grid (default 48). */
  intervals?: number;
}

export function buildRealisticLp(
  scenario: Scenario,
  floors: RealisticFloors,
  k: number,
  required: number,
  options: RealisticLpOptions = {},
): RealisticLp {
  const wl = floors.compiled;
  const G = floors.groups.length;
  const W = wl.workflows;
  const s = scenario.standaloneS;
  const deadlineS = new Float64Array(W);
  for (let w = 0; w < W; w++) deadlineS[w] = wl.arrivalS[w]! + k * s[w]!;
  const bounds = grid(wl.arrivalS, deadlineS, options.intervals ?? 48);
  const K = bounds.length - 1;
  const first = (t: number) => clamp(upperIndex(bounds, t) - 1, 0, K - 1);
  const last = (t: number) => clamp(lowerIndex(bounds, t) - 1, 0, K - 1);

  // Pass 1: windows; a workflow any of whose calls fits nowhere cannot be met.
  const N = wl.calls;
  const preFrom = new Int32Array(N * G).fill(-1);
  const preTo = new Int32Array(N * G);
  const decFrom = new Int32Array(N * G).fill(-1);
  const decTo = new Int32Array(N * G);
  const possible = new Uint8Array(W).fill(1);
  for (let c = 0; c < N; c++) {
    const w = wl.workflowOf[c]!;
    if (possible[w] === 0) continue;
    const r = floors.releaseS[c]!;
    const end = deadlineS[w]! - floors.tailS[c]!;
    let anyPre = false;
    let anyDec = false;
    for (let g = 0; g < G; g++) {
      const j = c * G + g;
      const preEnd = end - floors.afterPrefillS[j]!;
      if (preEnd - r >= floors.prefillAloneS[j]!) {
        preFrom[j] = first(r);
        preTo[j] = Math.max(preFrom[j]!, last(preEnd));
        anyPre = true;
      }
      const decStart = r + floors.beforeDecodeS[j]!;
      if (end - decStart >= floors.decodeAloneS[j]!) {
        decFrom[j] = first(decStart);
        decTo[j] = Math.max(decFrom[j]!, last(end));
        anyDec = true;
      }
    }
    if (!anyPre || !anyDec) possible[w] = 0;
  }
  let nPossible = 0;
  for (let w = 0; w < W; w++) nPossible += possible[w]!;

  const model = new Model('realistic_bound');
  const met: Array<Var | null> = Array.from({ length: W }, (_, w) =>
    possible[w] ? model.addVar({ name: `met_${w}`, lb: 0, ub: 1 }) : null,
  );
  const objective = new LinearExpr();
  for (const v of met) if (v) objective.add(1, v);
  model.setObjective('max', objective);

  // Pass 2: call classes per stage, keyed by model and window on every group.
  const stages = [
    { name: 'pre', from: preFrom, to: preTo, work: floors.prefillWorkS },
    { name: 'dec', from: decFrom, to: decTo, work: floors.decodeWorkS },
  ] as const;
  // Capacity rows, (stage, resource, group, interval) → terms.
  const rows = new Map<string, { expr: LinearExpr; rhs: number }>();
  const rowOf = (key: string, rhs: number) => {
    let row = rows.get(key);
    if (!row) {
      row = { expr: new LinearExpr(), rhs };
      rows.set(key, row);
    }
    return row;
  };
  let classes = 0;
  for (const stage of stages) {
    const byKey = new Map<string, { calls: number[]; groups: number[] }>();
    for (let c = 0; c < N; c++) {
      const w = wl.workflowOf[c]!;
      if (!possible[w]) continue;
      let key = `${wl.modelOf[w]}`;
      const groups: number[] = [];
      let base = Number.POSITIVE_INFINITY;
      for (let g = 0; g < G; g++) {
        const j = c * G + g;
        if (stage.from[j]! < 0) continue;
        key += `|${g}:${stage.from[j]}-${stage.to[j]}`;
        groups.push(g);
        base = Math.min(base, stage.work[j]!);
      }
      if (!(base > 0)) continue; // some allowed group does this stage for free
      const cls = byKey.get(key);
      if (cls) cls.calls.push(c);
      else byKey.set(key, { calls: [c], groups });
    }
    for (const { calls, groups } of byKey.values()) {
      const id = classes++;
      const demand = new LinearExpr();
      const baseOf = calls.map((c) => {
        let b = Number.POSITIVE_INFINITY;
        for (const g of groups) b = Math.min(b, stage.work[c * G + g]!);
        return b;
      });
      calls.forEach((c, n) => {
        demand.add(-baseOf[n]!, met[wl.workflowOf[c]!]!);
      });
      for (const g of groups) {
        const grp = floors.groups[g]!;
        let ratio = Number.POSITIVE_INFINITY;
        let kvRatio = Number.POSITIVE_INFINITY;
        let elRatio = Number.POSITIVE_INFINITY;
        calls.forEach((c, n) => {
          const j = c * G + g;
          const perBase = stage.work[j]! / baseOf[n]!;
          ratio = Math.min(ratio, perBase);
          if (stage.name === 'dec') {
            const el = floors.decodeElapsedPerWork[j]! * perBase;
            elRatio = Math.min(elRatio, el);
            kvRatio = Math.min(kvRatio, (wl.inputTokens[c]! + wl.outputTokens[c]!) * el);
          }
        });
        const j0 = calls[0]! * G + g;
        for (let t = stage.from[j0]!; t <= stage.to[j0]!; t++) {
          const x = model.addVar({ name: `${stage.name}_${id}_${g}_${t}` });
          demand.add(1, x);
          const len = bounds[t + 1]! - bounds[t]!;
          rowOf(`${stage.name}_work_${g}_${t}`, grp.count * len).expr.add(ratio, x);
          if (stage.name === 'dec') {
            rowOf(`dec_kv_${g}_${t}`, grp.count * grp.kvCapacityTokens * len).expr.add(kvRatio, x);
            rowOf(`dec_slots_${g}_${t}`, grp.count * grp.decodeSlots * len).expr.add(elRatio, x);
          }
        }
      }
      model.addConstraint(`${stage.name}_class_${id}`, demand, '=', 0);
    }
  }
  for (const [name, row] of rows) model.addConstraint(name, row.expr, '<=', row.rhs);
  return { model, required, possible: nPossible, intervals: K, classes };
}

/**
 * Interval boundaries: K + 1 points spread by rank over the arrivals and deadlines, so the
 * grid is fine where workflows crowd. Any grid is valid; a finer one is tighter.
 */
function grid(arrivalS: Float64Array, deadlineS: Float64Array, K: number): Float64Array {
  const pts = new Float64Array(arrivalS.length + deadlineS.length);
  pts.set(arrivalS);
  pts.set(deadlineS, arrivalS.length);
  pts.sort();
  const out: number[] = [];
  const n = pts.length;
  for (let j = 0; j <= K; j++) {
    const x = pts[Math.round((j * (n - 1)) / K)]!;
    if (out.length === 0 || x > out[out.length - 1]!) out.push(x);
  }
  if (out.length === 1) out.push(out[0]! + 1);
  return Float64Array.from(out);
}

/** First index i with a[i] > x. */
function upperIndex(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with a[i] ≥ x. */
function lowerIndex(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
