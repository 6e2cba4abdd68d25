import type { Scenario } from '../scenario/scenario.ts';
import { LinearExpr, Model, type Var } from '../solver/model.ts';
import { countAtMost, countBelow } from '../util/sortedSearch.ts';
import type { RealisticFloors } from './realisticFloors.ts';

/**
 * The time-interval LP that decides whether a target scale k may be reachable in realistic
 * mode (docs/bounds.md proves every ingredient is a relaxation):
 *
 *   max Σ_w met_w,  0 ≤ met_w ≤ 1
 *   per call class c and stage:   Σ_{g,t ∈ window} x[c,g,t] = Σ_{i ∈ c} base_i · met_{w(i)}
 *   per group g and interval t:   Σ_c ratio[c,g] · x[c,g,t] ≤ count_g · len_t         (prefill, decode work;
 *                                                            one row for both on timeshared mixed instances)
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
  /** With `variableCounts`: each group's instance count, an integer column (else empty). */
  counts: Var[];
  /** The met_w columns (bounds [0, 1]), one per workflow that may be met. */
  metColumns: Int32Array;
  /** The arrival interval of each met column's workflow, aligned with `metColumns`. */
  metArrivalInterval: Int32Array;
}

export interface RealisticLpOptions {
  /** Intervals of the time grid (default 24). */
  intervals?: number;
  /**
   * Provisioning: each group's instance count becomes an integer column (count_g ≥ 0) instead
   * of the constant `count`, so every capacity row reads Σ … ≤ count_g · (one instance's
   * capacity). The groups then stand for instance types (src/provision/floor.ts).
   */
  variableCounts?: boolean;
}

/** The time grid's intervals when the caller does not choose. */
export const DEFAULT_INTERVALS = 24;

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
  const bounds = grid(wl.arrivalS, deadlineS, options.intervals ?? DEFAULT_INTERVALS);
  const K = bounds.length - 1;
  const first = (t: number) => clamp(countAtMost(bounds, t) - 1, 0, K - 1);
  const last = (t: number) => clamp(countBelow(bounds, t) - 1, 0, K - 1);

  // Pass 1: windows; a workflow any of whose calls fits nowhere cannot be met.
  const N = wl.calls;
  const preFrom = new Int32Array(N * G).fill(-1);
  const preTo = new Int32Array(N * G);
  const decFrom = new Int32Array(N * G).fill(-1);
  const decTo = new Int32Array(N * G);
  const decLen = new Float64Array(N * G);
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
        decLen[j] = end - decStart;
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

  // Capacity rows, (stage, resource, group, interval) → terms.
  const counts = options.variableCounts
    ? floors.groups.map((_, g) => model.addVar({ name: `count_${g}`, type: 'integer', lb: 0, ub: 1e5 }))
    : [];
  const rows = new Map<string, { expr: LinearExpr; rhs: number; group?: number }>();
  const rowOf = (key: string, rhs: number, group?: number) => {
    let row = rows.get(key);
    if (!row) {
      row = { expr: new LinearExpr(), rhs, group };
      rows.set(key, row);
    }
    return row;
  };
  // A timeshared mixed instance runs prefill batches and decode steps one at a time, so both
  // stages' lane time in an interval adds up to one row (docs/bounds.md, ingredient 9).
  const laneRow = (stage: 'pre_work' | 'dec_lane', g: number, t: number) =>
    floors.groups[g]!.timeshare ? `gpu_lane_${g}_${t}` : `${stage}_${g}_${t}`;
  const metOf = (c: number) => met[wl.workflowOf[c]!]!;
  const lenOf = (t: number) => bounds[t + 1]! - bounds[t]!;
  let classes = 0;

  // Prefill: a class's commodity is base work (its calls' least p1·T + p2·T² over the groups
  // they may use); group g runs one unit of it for at least `ratio` seconds of its lane.
  for (const { calls, groups } of callClasses(
    wl,
    possible,
    G,
    preFrom,
    preTo,
    (j) => !(floors.prefillWorkS[j]! > 0),
  )) {
    const id = classes++;
    const demand = new LinearExpr();
    const baseOf = calls.map((c) => Math.min(...groups.map((g) => floors.prefillWorkS[c * G + g]!)));
    calls.forEach((c, n) => {
      demand.add(-baseOf[n]!, metOf(c));
    });
    for (const g of groups) {
      let ratio = Number.POSITIVE_INFINITY;
      calls.forEach((c, n) => {
        ratio = Math.min(ratio, floors.prefillWorkS[c * G + g]! / baseOf[n]!);
      });
      const j0 = calls[0]! * G + g;
      for (let t = preFrom[j0]!; t <= preTo[j0]!; t++) {
        const x = model.addVar({ name: `pre_${id}_${g}_${t}` });
        demand.add(1, x);
        rowOf(laneRow('pre_work', g, t), floors.groups[g]!.count * lenOf(t), g).expr.add(ratio, x);
      }
    }
    model.addConstraint(`pre_class_${id}`, demand, '=', 0);
  }

  // Decode, in tokens n and step-seconds e (Σ over a call's tokens of the steps they were made
  // in). A step of B sequences lasts e = d0 + d1·B + d2·C, C ≥ B·cMin (cMin: the least prompt
  // of the model), so B ≤ (e − d0)/κ with κ = d1 + d2·cMin. Splitting the step's lane time
  // equally, each token costs l = e/B ≥ ψ(e) = κ·e/(e − d0), convex and decreasing, and
  // l ≥ e/slots: every tangent of ψ is a valid linear cut per token, summed per (group,
  // interval). That is what makes fast (small-batch) decode cost lane time: a call with a
  // tight window needs small e per token, hence a small batch.
  const minInput = new Float64Array(wl.models.length).fill(Number.POSITIVE_INFINITY);
  for (let c = 0; c < N; c++) {
    const m = wl.modelOf[wl.workflowOf[c]!]!;
    minInput[m] = Math.min(minInput[m]!, wl.inputTokens[c]!);
  }
  // A met workflow's chain decodes one call after another, so its decodes' step-seconds sum to
  // at most k·s_w minus what the chain spends outside decoding (chainBeforeDecodeS). Chain
  // calls are kept in classes of their own per arrival interval, and each interval's row
  // bounds their step-seconds by the budgets of its met workflows: a chain of n calls then
  // shares its slack instead of each call having all of it.
  const arrivalBucket = (w: number) => first(wl.arrivalS[w]!);
  const chainRows = new Map<number, LinearExpr>();
  for (let w = 0; w < W; w++) {
    if (!possible[w]) continue;
    const b = arrivalBucket(w);
    let row = chainRows.get(b);
    if (!row) chainRows.set(b, (row = new LinearExpr()));
    row.add(-(deadlineS[w]! - wl.arrivalS[w]! - floors.chainBeforeDecodeS[w]!), met[w]!);
  }
  // Lane time of the tokens a (group, interval) makes, per category (0: other calls, 1: chain
  // calls). The cuts are convex in a token's step length, so summed over tokens of different
  // step lengths they are only as strong as at the average: kept per category, a chain's fast
  // tokens cannot borrow the long steps of calls with slack to look cheap.
  const lanes = new Map<string, { name: string; v: Var }>();
  const laneOf = (cat: number, g: number, t: number, cap: number) => {
    const name = `${cat}_${g}_${t}`;
    let lane = lanes.get(name);
    if (!lane) {
      lane = { name, v: model.addVar({ name: `dec_lane_${name}` }) };
      lanes.set(name, lane);
      rowOf(laneRow('dec_lane', g, t), cap, g).expr.add(1, lane.v);
    }
    return lane;
  };
  /** A cut `lane ≥ Σ terms`, kept as the row Σ terms − lane ≤ 0. */
  const cutOf = (name: string, lane: Var) => {
    const fresh = !rows.has(name);
    const row = rowOf(name, 0);
    if (fresh) row.expr.add(-1, lane);
    return row.expr;
  };
  const chainKey = (c: number) => (floors.onChain[c] ? arrivalBucket(wl.workflowOf[c]!) : -1);
  for (const { calls, groups } of callClasses(wl, possible, G, decFrom, decTo, () => false, chainKey)) {
    const id = classes++;
    const chainRow = floors.onChain[calls[0]!] ? chainRows.get(chainKey(calls[0]!))! : null;
    const tokens = new LinearExpr();
    const count = new LinearExpr();
    // Σ step-seconds of the class ≤ Σ over its met calls of their longest window: per call
    // lengths, not the class's widest, so tight and loose calls sharing intervals stay apart.
    const elapsed = new LinearExpr();
    let outMax = 0;
    let inMin = Number.POSITIVE_INFINITY;
    let kvMin = Number.POSITIVE_INFINITY;
    for (const c of calls) {
      const out = wl.outputTokens[c]!;
      tokens.add(-out, metOf(c));
      count.add(-1, metOf(c));
      outMax = Math.max(outMax, out);
      inMin = Math.min(inMin, wl.inputTokens[c]!);
      kvMin = Math.min(kvMin, wl.inputTokens[c]! + out);
      let len = 0;
      for (const g of groups) len = Math.max(len, decLen[c * G + g]!);
      elapsed.add(-len, metOf(c));
    }
    for (const g of groups) {
      const grp = floors.groups[g]!;
      const d = grp.members[0]!.profile.decode;
      const [d0, d1, d2] = [d.d0_ms / 1000, d.d1_ms_per_seq / 1000, d.d2_ms_per_token / 1000];
      const kappa = d1 + d2 * minInput[wl.modelOf[wl.workflowOf[calls[0]!]!]!]!;
      let lenMax = 0;
      for (const c of calls) lenMax = Math.max(lenMax, decLen[c * G + g]!);
      const u = model.addVar({ name: `dec_${id}_${g}_on` });
      count.add(1, u);
      const nSum = new LinearExpr().add(-outMax, u);
      const eSum = new LinearExpr().add(-lenMax, u);
      const fastest = new LinearExpr();
      const j0 = calls[0]! * G + g;
      for (let t = decFrom[j0]!; t <= decTo[j0]!; t++) {
        const n = model.addVar({ name: `dec_${id}_${g}_${t}_n` });
        const e = model.addVar({ name: `dec_${id}_${g}_${t}_e` });
        tokens.add(1, n);
        nSum.add(1, n);
        eSum.add(1, e);
        elapsed.add(1, e);
        chainRow?.add(1, e);
        fastest.add(d0 + d1 + d2 * inMin, n).add(-1, e);
        const cap = grp.count * lenOf(t);
        const lane = laneOf(chainRow ? 1 : 0, g, t, cap);
        cutOf(`dec_floor_${lane.name}`, lane.v).add(d0 / grp.decodeSlots + d1 + d2 * inMin, n);
        if (d0 > 0 && kappa > 0) {
          // A token pays its own context (split 2 of docs/bounds.md, ingredient 4): the step it
          // is made in lasts at least d0 + δ + κ·B with δ = d2·(its prompt − cMin), so
          // ψ(e) = d0·κ/(e − d0 − δ) + d1 + d2·inMin.
          const shift = d2 * (inMin - minInput[wl.modelOf[wl.workflowOf[calls[0]!]!]!]!);
          for (const b of tangentBatches(grp.decodeSlots)) {
            // Tangent of ψ at e* = d0 + δ + κ·b: ψ(e*) = d0/b + d1 + d2·inMin, ψ'(e*) = −d0/(κ·b²).
            const eStar = d0 + shift + kappa * b;
            const slope = d0 / (kappa * b * b);
            cutOf(`dec_tan${b}_${lane.name}`, lane.v)
              .add(d0 / b + d1 + d2 * inMin + slope * eStar, n)
              .add(-slope, e);
          }
        }
        rowOf(`dec_emax_${g}_${t}`, 0)
          .expr.add(1, e)
          .add(-(d0 + d1 * grp.decodeSlots + d2 * grp.kvCapacityTokens), n);
        rowOf(`dec_kv_${g}_${t}`, cap * grp.kvCapacityTokens, g).expr.add(kvMin, e);
        rowOf(`dec_slots_${g}_${t}`, cap * grp.decodeSlots, g).expr.add(1, e);
      }
      model.addConstraint(`dec_${id}_${g}_tokens`, nSum, '<=', 0);
      model.addConstraint(`dec_${id}_${g}_window`, eSum, '<=', 0);
      model.addConstraint(`dec_${id}_${g}_fastest`, fastest, '<=', 0);
    }
    model.addConstraint(`dec_class_${id}_tokens`, tokens, '=', 0);
    model.addConstraint(`dec_class_${id}_window`, elapsed, '<=', 0);
    model.addConstraint(`dec_class_${id}_count`, count, '=', 0);
  }
  for (const [b, row] of chainRows) model.addConstraint(`dec_chain_${b}`, row, '<=', 0);
  for (const [name, row] of rows) {
    if (counts.length > 0 && row.group !== undefined) {
      // rhs = count · one instance's capacity: move it to the left with the count column.
      const perInstance = row.rhs / floors.groups[row.group]!.count;
      model.addConstraint(name, row.expr.add(-perInstance, counts[row.group]!), '<=', 0);
    } else model.addConstraint(name, row.expr, '<=', row.rhs);
  }
  const metWorkflows = met.flatMap((v, w) => (v ? [w] : []));
  return {
    model,
    required,
    possible: nPossible,
    intervals: K,
    classes,
    counts,
    metColumns: Int32Array.from(metWorkflows, (w) => met[w]!.index),
    metArrivalInterval: Int32Array.from(metWorkflows, arrivalBucket),
  };
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

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Calls of the same model whose windows match on every group. A call that some allowed group
 * serves for free (`free(c·G + g)`) consumes nothing there and is left out.
 */
function callClasses(
  wl: RealisticFloors['compiled'],
  possible: Uint8Array,
  G: number,
  from: Int32Array,
  to: Int32Array,
  isFree: (j: number) => boolean,
  /** Calls with different tags never share a class. */
  tag: (c: number) => number = () => 0,
): Array<{ calls: number[]; groups: number[] }> {
  const byKey = new Map<string, { calls: number[]; groups: number[] }>();
  for (let c = 0; c < wl.calls; c++) {
    const w = wl.workflowOf[c]!;
    if (!possible[w]) continue;
    let key = `${wl.modelOf[w]}#${tag(c)}`;
    const groups: number[] = [];
    let free = false;
    for (let g = 0; g < G; g++) {
      const j = c * G + g;
      if (from[j]! < 0) continue;
      key += `|${g}:${from[j]}-${to[j]}`;
      groups.push(g);
      if (isFree(j)) free = true;
    }
    if (free || groups.length === 0) continue;
    const cls = byKey.get(key);
    if (cls) cls.calls.push(c);
    else byKey.set(key, { calls: [c], groups });
  }
  return [...byKey.values()];
}

/** Batch sizes whose tangents of φ are cut in: dense at small B where φ bends most. */
function tangentBatches(slots: number): number[] {
  const out = [1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
  return out.filter((b) => b <= slots);
}
