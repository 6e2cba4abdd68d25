import { requiredRank } from '../slo/quantile.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { LinearExpr, Model, type Var } from '../solver/model.ts';
import { solveModel } from '../solver/solve.ts';
import type { PlanContext } from './context.ts';
import { callFloors, dagPaths } from './floorData.ts';
import { referenceSets } from './mix.ts';
import { PREFILL_TOKEN_BUDGET } from './verifyCluster.ts';

/**
 * The cost floor: no cluster drawn from the catalog (within its availability limits) that
 * costs less per hour can meet scale k at quantile q in realistic mode, under any policy.
 *
 * Relaxation, one per set U of GPU types the cluster holds (the floor is the least over U):
 * - the cluster's standalone times are at most s⁺_w, the longest path with every call at the
 *   SLOWEST (prefill, decode) pair within U, so a met workflow finishes by arrival + k·s⁺_w;
 * - at least ⌈q·W⌉ workflows are met: fractional indicators m_w ∈ [0, 1], Σ m_w ≥ ⌈q·W⌉;
 * - a call of a met workflow may use prefill type p (decode type d) only if some pair with it
 *   keeps the call's least latency, plus the least path before and after it, within k·s⁺_w;
 * - work: the met calls of arrival groups g₁..g₂ need their prefill-lane, decode-lane and KV
 *   token-seconds (floorData.ts) inside [first arrival of g₁, latest deadline of g₁..g₂],
 *   which n_t instances of type t supply at n_t × the window (× KV capacity for KV);
 * - calls are binned by (group, eligibility, ⅛-octave of input and output tokens) and each
 *   bin is charged the least of its calls' needs on each type (so the binning only loosens);
 * - n_t integer, at least one instance of each GPU in U, availability limits; the floor of U is
 *   the MILP's proven dual bound (or the LP optimum when the MILP proves nothing better).
 * Not modeled (each only makes the true cost higher): queueing, transfer bandwidth, KV held
 * during prefill and transfer, partial batches.
 */
export interface CostFloor {
  costPerHour: number;
  /** Human-readable description of the relaxation and its solve. */
  source: string;
  /** Cheapest floor's GPU set and its fractional (LP) instance counts, for the report. */
  gpus: string[];
  perSet: Array<{ gpus: string[]; costPerHour: number | null; status: string }>;
}

export interface FloorOptions {
  quantile: number;
  scale: number;
  solver?: SolverName;
  timeLimitS?: number;
  /** Arrival groups for the window constraints (default 4). */
  groups?: number;
}

const STEPS_PER_OCTAVE = 8;
const MAX_BINS = 6000;

export async function costFloor(ctx: PlanContext, options: FloorOptions): Promise<CostFloor> {
  const { workload, demand } = ctx;
  const table = demand.table;
  const floors = callFloors(workload, table, PREFILL_TOKEN_BUDGET);
  const perSet: CostFloor['perSet'] = [];
  // LP relaxations first; a set's MILP is solved only when its LP is below the best floor so far
  // (the MILP's bound is never below its LP, so the least over sets is unchanged).
  const built: Array<{
    set: string[];
    model: Model | null;
    lp: number | null;
    status: string;
    steps: number;
  }> = [];
  for (const set of referenceSets(ctx.purchasable)) {
    const b = buildFloorModel(ctx, floors, new Set(set), options);
    if (!b.model) {
      built.push({ set, model: null, lp: null, status: b.status, steps: b.steps });
      continue;
    }
    const lp = await solveModel(b.model.relaxed(), {
      solver: options.solver,
      timeLimitS: options.timeLimitS,
    });
    const value = lp.status === 'optimal' && lp.objective !== null ? lp.objective : (lp.bound ?? null);
    built.push({
      set,
      model: b.model,
      lp: value,
      status: lp.status === 'infeasible' ? 'infeasible' : lp.status,
      steps: b.steps,
    });
  }
  const order = built
    .filter((b) => b.lp !== null)
    .sort((a, b) => a.lp! - b.lp! || a.set.length - b.set.length);
  let best: { cost: number; gpus: string[]; steps: number } | null = null;
  const result = new Map<string, { cost: number | null; status: string }>();
  for (const b of order) {
    if (best !== null && b.lp! >= best.cost - 1e-9) {
      result.set(b.set.join('+'), { cost: b.lp, status: 'LP bound (MILP not needed)' });
      continue;
    }
    const mip = await solveModel(b.model!, {
      solver: options.solver,
      timeLimitS: options.timeLimitS,
      mipRelGap: 1e-6,
    });
    const cost = mip.status === 'infeasible' ? null : Math.max(b.lp!, mip.bound ?? Number.NEGATIVE_INFINITY);
    result.set(b.set.join('+'), {
      cost,
      status: mip.status === 'infeasible' ? 'infeasible' : `MILP ${mip.status}`,
    });
    if (cost !== null && (best === null || cost < best.cost - 1e-9))
      best = { cost, gpus: b.set, steps: b.steps };
  }
  for (const b of built) {
    const r = result.get(b.set.join('+')) ?? { cost: null, status: b.status };
    perSet.push({ gpus: b.set, costPerHour: r.cost, status: r.status });
  }
  const source =
    'realistic-mode relaxation (src/provision/floor.ts): per GPU set, MILP over integer instance counts with ' +
    `work ≥ the prefill, decode and KV need of the ⌈q·W⌉ met workflows within their deadlines k·s⁺ ` +
    `(${options.groups ?? 4} arrival groups, ${best?.steps ?? STEPS_PER_OCTAVE} token bins per octave), ` +
    'batch-of-one latency eligibility, availability limits; least over GPU sets';
  return { costPerHour: best?.cost ?? Number.POSITIVE_INFINITY, source, gpus: best?.gpus ?? [], perSet };
}

interface Bin {
  group: number;
  /** Fractional-workflow weights: calls of workflow w in this bin. */
  members: Map<number, number>;
  prefill: number[];
  decode: number[];
  kv: number[];
}

function buildFloorModel(
  ctx: PlanContext,
  floors: ReturnType<typeof callFloors>,
  set: ReadonlySet<string>,
  options: FloorOptions,
): { model: Model | null; status: string; steps: number } {
  const { workload } = ctx;
  const table = ctx.demand.table;
  const { types, pairs } = table;
  const inSet = types.map((t) => set.has(t.gpu));
  const pairIn = pairs.map((pr) => inSet[pr.p]! && inSet[pr.d]!);
  const k = options.scale;
  // s⁺: each call at its slowest pair within the set; a call no pair of the set can hold
  // makes every cluster on exactly this set invalid.
  let unservable = false;
  const slowest = (c: number) => {
    let worst = 0;
    let any = false;
    floors.standaloneS[c]!.forEach((s, j) => {
      if (!pairIn[j] || !Number.isFinite(s)) return;
      any = true;
      worst = Math.max(worst, s);
    });
    if (!any) unservable = true;
    return worst;
  };
  const least = (c: number) => {
    let best = Number.POSITIVE_INFINITY;
    floors.leastLatencyS[c]!.forEach((s, j) => {
      if (pairIn[j]) best = Math.min(best, s);
    });
    return best;
  };
  const slow = dagPaths(workload, slowest);
  if (unservable) return { model: null, status: 'cannot hold some call', steps: 0 };
  const fast = dagPaths(workload, least);
  const W = workload.workflows.length;
  const deadline = workload.workflows.map((wf, w) => wf.arrival_s + k * slow.totalS[w]!);
  const order = workload.workflows
    .map((_, w) => w)
    .sort((a, b) => workload.workflows[a]!.arrival_s - workload.workflows[b]!.arrival_s || a - b);
  const G = Math.max(1, Math.min(options.groups ?? 4, W));
  const groupOf = new Int32Array(W);
  order.forEach((w, r) => {
    groupOf[w] = Math.floor((r * G) / W);
  });
  const startS = new Array<number>(G).fill(Number.POSITIVE_INFINITY);
  const endS = new Array<number>(G).fill(0);
  workload.workflows.forEach((wf, w) => {
    startS[groupOf[w]!] = Math.min(startS[groupOf[w]!]!, wf.arrival_s);
    endS[groupOf[w]!] = Math.max(endS[groupOf[w]!]!, deadline[w]!);
  });

  let steps = STEPS_PER_OCTAVE;
  let bins = binCalls(ctx, floors, { inSet, pairIn, fast, deadline, groupOf, steps });
  while (bins.length > MAX_BINS && steps > 1) {
    steps /= 2;
    bins = binCalls(ctx, floors, { inSet, pairIn, fast, deadline, groupOf, steps });
  }

  const model = new Model('provision_cost_floor');
  const count: Array<Var | null> = types.map((t, i) =>
    inSet[i] ? model.addVar({ name: `n[${t.key}]`, type: 'integer', lb: 0, ub: 1e5 }) : null,
  );
  const met = workload.workflows.map((_, w) => model.addVar({ name: `m[${w}]`, lb: 0, ub: 1 }));
  const metSum = new LinearExpr();
  for (const m of met) metSum.add(1, m);
  model.addConstraint('quantile', metSum, '>=', requiredRank(W, options.quantile));
  // Work per (type, resource) per arrival group, then windows over consecutive groups.
  const work = () => types.map(() => Array.from({ length: G }, () => new LinearExpr()));
  const pre = work();
  const dec = work();
  const kv = work();
  const kvCapacity = types.map((t) => table.probeInstance(t.index, 'a').kvCapacityTokens);
  bins.forEach((bin, b) => {
    const need = new LinearExpr();
    for (const [w, n] of bin.members) need.add(n, met[w]!);
    const route = (stage: 'p' | 'd', coefs: number[]) => {
      const served = new LinearExpr();
      coefs.forEach((s, t) => {
        if (!Number.isFinite(s) || !count[t]) return;
        const x = model.addVar({ name: `x${stage}[${b},${types[t]!.key}]` });
        served.add(1, x);
        if (stage === 'p') pre[t]![bin.group]!.add(s, x);
        else {
          dec[t]![bin.group]!.add(s, x);
          kv[t]![bin.group]!.add(bin.kv[t]! / kvCapacity[t]!, x);
        }
      });
      model.addConstraint(`serve_${stage}[${b}]`, served.addExpr(need, -1), '=', 0);
    };
    route('p', bin.prefill);
    route('d', bin.decode);
  });
  types.forEach((t, i) => {
    const n = count[i];
    if (!n) return;
    for (let g1 = 0; g1 < G; g1++) {
      let end = 0;
      const sums = { pre: new LinearExpr(), dec: new LinearExpr(), kv: new LinearExpr() };
      for (let g2 = g1; g2 < G; g2++) {
        end = Math.max(end, endS[g2]!);
        sums.pre.addExpr(pre[i]![g2]!);
        sums.dec.addExpr(dec[i]![g2]!);
        sums.kv.addExpr(kv[i]![g2]!);
        const windowS = end - startS[g1]!;
        const row = (name: string, e: LinearExpr) => {
          if (e.vars.length === 0) return;
          model.addConstraint(
            `${name}[${t.key},${g1},${g2}]`,
            LinearExpr.of([-windowS, n]).addExpr(e),
            '<=',
            0,
          );
        };
        if (t.canPrefill) row('prefill', sums.pre);
        if (t.canDecode) {
          row('decode', sums.dec);
          row('kv', sums.kv);
        }
      }
    }
  });
  for (const gpu of set) {
    const present = new LinearExpr();
    const used = new LinearExpr();
    types.forEach((t, i) => {
      if (t.gpu !== gpu || !count[i]) return;
      present.add(1, count[i]!);
      used.add(t.tp, count[i]!);
    });
    model.addConstraint(`present[${gpu}]`, present, '>=', 1);
    const limit = ctx.setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
    if (limit !== null) model.addConstraint(`avail[${gpu}]`, used, '<=', limit);
  }
  const cost = new LinearExpr();
  types.forEach((t, i) => {
    if (count[i]) cost.add(t.costPerHour, count[i]!);
  });
  model.setObjective('min', cost);
  return { model, status: 'built', steps };
}

function binCalls(
  ctx: PlanContext,
  floors: ReturnType<typeof callFloors>,
  s: {
    inSet: boolean[];
    pairIn: boolean[];
    fast: ReturnType<typeof dagPaths>;
    deadline: number[];
    groupOf: Int32Array;
    steps: number;
  },
): Bin[] {
  const { workload } = ctx;
  const table = ctx.demand.table;
  const { types, pairs } = table;
  const byKey = new Map<string, Bin>();
  const bins: Bin[] = [];
  const bucket = (tokens: number) => Math.floor(Math.log2(Math.max(1, tokens)) * s.steps);
  table.calls.forEach(([w, i], c) => {
    const wf = workload.workflows[w]!;
    const call = wf.calls[i]!;
    const budget = s.deadline[w]! - wf.arrival_s - s.fast.beforeS[c]! - s.fast.afterS[c]!;
    const okP = new Array<boolean>(types.length).fill(false);
    const okD = new Array<boolean>(types.length).fill(false);
    pairs.forEach((pr, j) => {
      if (s.pairIn[j] && floors.leastLatencyS[c]![j]! <= budget + 1e-9) {
        okP[pr.p] = true;
        okD[pr.d] = true;
      }
    });
    const mask = (ok: boolean[]) => ok.map((b) => (b ? '1' : '0')).join('');
    const key = `${s.groupOf[w]}|${wf.model}|${mask(okP)}|${mask(okD)}|${bucket(call.input_tokens)}|${bucket(call.output_tokens)}`;
    let bin = byKey.get(key);
    if (!bin) {
      const inf = () => new Array<number>(types.length).fill(Number.POSITIVE_INFINITY);
      bin = { group: s.groupOf[w]!, members: new Map(), prefill: inf(), decode: inf(), kv: inf() };
      byKey.set(key, bin);
      bins.push(bin);
    }
    bin.members.set(w, (bin.members.get(w) ?? 0) + 1);
    for (let t = 0; t < types.length; t++) {
      if (!s.inSet[t]) continue;
      if (okP[t]) bin.prefill[t] = Math.min(bin.prefill[t]!, floors.prefillShareS[c]![t]!);
      if (okD[t]) {
        bin.decode[t] = Math.min(bin.decode[t]!, floors.decodeShareS[c]![t]!);
        bin.kv[t] = Math.min(bin.kv[t]!, floors.kvTokenS[c]![t]!);
      }
    }
  });
  return bins;
}
