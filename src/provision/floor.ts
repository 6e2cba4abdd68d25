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
 * - work: each met workflow's calls need their prefill-lane, decode-lane and KV token-seconds
 *   (floorData.ts) on the types they are routed to (per-workflow routing, see workflowDemand);
 *   the workflows arriving in groups ≥ g₁ with deadlines in buckets ≤ h₂ need theirs inside
 *   [first arrival of g₁, last deadline of bucket h₂], which n_t instances of type t supply at
 *   n_t × the window (× KV capacity for KV);
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
  /** False: one relaxation over all GPU types (looser, one solve) instead of one per GPU set. */
  perSet?: boolean;
  /** Arrival groups and deadline buckets for the window constraints (default 6 each). */
  groups?: number;
}

/** Seconds for each floor MILP; its dual bound is valid whenever it stops. */
const FLOOR_MILP_LIMIT_S = 20;
const PER_SET_WORKFLOWS = 3000;

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
  }> = [];
  // Above PER_SET_WORKFLOWS one relaxation over all GPU types stands for every set (s⁺ over all
  // pairs is ≥ any set's, and no type is required): looser, but one LP of per-workflow routing.
  const perSetMode = (options.perSet ?? true) && workload.workflows.length <= PER_SET_WORKFLOWS;
  const sets = perSetMode ? referenceSets(ctx.purchasable) : [ctx.purchasable];
  for (const set of sets) {
    const b = buildFloorModel(ctx, floors, new Set(set), { ...options, requirePresence: perSetMode });
    if (!b.model) {
      built.push({ set, model: null, lp: null, status: b.status });
      continue;
    }
    const lp = await solveModel(b.model.relaxed(), {
      solver: options.solver,
      timeLimitS: options.timeLimitS,
    });
    // A set whose LP proves nothing still counts, at 0: the least over sets must cover it.
    const value =
      lp.status === 'infeasible'
        ? null
        : lp.status === 'optimal' && lp.objective !== null
          ? lp.objective
          : (lp.bound ?? 0);
    built.push({
      set,
      model: b.model,
      lp: value,
      status: lp.status === 'infeasible' ? 'infeasible' : lp.status,
    });
  }
  const order = built
    .filter((b) => b.lp !== null)
    .sort((a, b) => a.lp! - b.lp! || a.set.length - b.set.length);
  let best: { cost: number; gpus: string[] } | null = null;
  const result = new Map<string, { cost: number | null; status: string }>();
  for (const b of order) {
    if (best !== null && b.lp! >= best.cost - 1e-9) {
      result.set(b.set.join('+'), { cost: b.lp, status: 'LP bound (MILP not needed)' });
      continue;
    }
    const mip = await solveModel(b.model!, {
      solver: options.solver,
      timeLimitS: options.timeLimitS ?? FLOOR_MILP_LIMIT_S,
      mipRelGap: 1e-6,
    });
    const cost = mip.status === 'infeasible' ? null : Math.max(b.lp!, mip.bound ?? Number.NEGATIVE_INFINITY);
    result.set(b.set.join('+'), {
      cost,
      status: mip.status === 'infeasible' ? 'infeasible' : `MILP ${mip.status}`,
    });
    if (cost !== null && (best === null || cost < best.cost - 1e-9)) best = { cost, gpus: b.set };
  }
  for (const b of built) {
    const r = result.get(b.set.join('+')) ?? { cost: null, status: b.status };
    perSet.push({ gpus: b.set, costPerHour: r.cost, status: r.status });
  }
  const source =
    'realistic-mode relaxation (src/provision/floor.ts): per GPU set, MILP over integer instance counts with ' +
    `work ≥ the prefill, decode and KV need of the ⌈q·W⌉ met workflows within their deadlines k·s⁺ ` +
    `(windows over ${options.groups ?? 6} arrival groups × ${options.groups ?? 6} deadline buckets), ` +
    'batch-of-one latency eligibility, availability limits; ' +
    (perSetMode
      ? 'least over GPU sets'
      : `one relaxation over all GPU types (above ${PER_SET_WORKFLOWS} workflows)`);
  return { costPerHour: best?.cost ?? Number.POSITIVE_INFINITY, source, gpus: best?.gpus ?? [], perSet };
}

function buildFloorModel(
  ctx: PlanContext,
  floors: ReturnType<typeof callFloors>,
  set: ReadonlySet<string>,
  options: FloorOptions & { requirePresence: boolean },
): { model: Model | null; status: string } {
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
    floors.standaloneS[c]!.forEach((v, j) => {
      if (!pairIn[j] || !Number.isFinite(v)) return;
      any = true;
      worst = Math.max(worst, v);
    });
    if (!any) unservable = true;
    return worst;
  };
  const least = (c: number) => {
    let best = Number.POSITIVE_INFINITY;
    floors.leastLatencyS[c]!.forEach((v, j) => {
      if (pairIn[j]) best = Math.min(best, v);
    });
    return best;
  };
  const slow = dagPaths(workload, slowest);
  if (unservable) return { model: null, status: 'cannot hold some call' };
  const fast = dagPaths(workload, least);
  const W = workload.workflows.length;
  const arrival = workload.workflows.map((wf) => wf.arrival_s);
  const deadline = arrival.map((a, w) => a + k * slow.totalS[w]!);
  const demand = workflowDemand(ctx, floors, { pairIn, fast, deadline });

  // Cells: arrival group × deadline bucket (quantiles of each). The window of (g₁, h₂) holds
  // every workflow arriving in groups ≥ g₁ with its deadline in buckets ≤ h₂.
  const G = Math.max(1, Math.min(options.groups ?? 6, W));
  const arrivalCut = cuts(arrival, G);
  const deadlineCut = cuts(deadline, G);
  const groupOf = arrival.map((a) => bucketOf(arrivalCut, a));
  const bucketOfW = deadline.map((d) => bucketOf(deadlineCut, d));
  const startS = Array.from({ length: G }, (_, g) =>
    Math.min(...arrival.filter((_, w) => groupOf[w] === g), Number.POSITIVE_INFINITY),
  );
  const endS = Array.from({ length: G }, (_, h) =>
    Math.max(...deadline.filter((_, w) => bucketOfW[w] === h), Number.NEGATIVE_INFINITY),
  );

  const model = new Model('provision_cost_floor');
  const count: Array<Var | null> = types.map((t, i) =>
    inSet[i] ? model.addVar({ name: `n[${t.key}]`, type: 'integer', lb: 0, ub: 1e5 }) : null,
  );
  const met = workload.workflows.map((_, w) =>
    model.addVar({ name: `m[${w}]`, lb: 0, ub: demand[w]!.servable ? 1 : 0 }),
  );
  const metSum = new LinearExpr();
  for (const m of met) metSum.add(1, m);
  model.addConstraint('quantile', metSum, '>=', requiredRank(W, options.quantile));
  // Load per (resource, type, cell): a variable, so each workflow's routing appears once.
  const resources = ['prefill', 'decode', 'kv'] as const;
  const cellLoad = new Map<string, { v: Var; e: LinearExpr }>();
  const load = (res: string, t: number, g: number, h: number) => {
    const key = `${res}|${t}|${g}|${h}`;
    let c = cellLoad.get(key);
    if (!c) {
      c = { v: model.addVar({ name: `L_${res}[${types[t]!.key},${g},${h}]` }), e: new LinearExpr() };
      cellLoad.set(key, c);
    }
    return c;
  };
  demand.forEach((d, w) => {
    if (!d.servable) return;
    resources.forEach((res, r) => {
      const route = new LinearExpr();
      d.work[r]!.forEach((work, t) => {
        if (!Number.isFinite(work) || !count[t]) return;
        const y = model.addVar({ name: `y_${res}[${w},${types[t]!.key}]` });
        route.add(1, y);
        load(res, t, groupOf[w]!, bucketOfW[w]!).e.add(work, y);
      });
      model.addConstraint(`route_${res}[${w}]`, route.add(-d.kappa[r]!, met[w]!), '>=', 0);
    });
  });
  for (const [key, c] of cellLoad) model.addConstraint(`load[${key}]`, c.e.add(-1, c.v), '=', 0);
  const kvCapacity = types.map((t) => table.probeInstance(t.index, 'a').kvCapacityTokens);
  types.forEach((t, i) => {
    const n = count[i];
    if (!n) return;
    resources.forEach((res) => {
      if (res === 'prefill' ? !t.canPrefill : !t.canDecode) return;
      const perInstance = res === 'kv' ? kvCapacity[i]! : 1;
      for (let g1 = 0; g1 < G; g1++) {
        for (let h2 = 0; h2 < G; h2++) {
          const sum = new LinearExpr();
          let end = Number.NEGATIVE_INFINITY;
          for (let g = g1; g < G; g++) {
            for (let h = 0; h <= h2; h++) {
              const c = cellLoad.get(`${res}|${i}|${g}|${h}`);
              if (!c) continue;
              sum.add(1, c.v);
              end = Math.max(end, endS[h]!);
            }
          }
          if (sum.vars.length === 0) continue;
          const windowS = Math.max(0, end - startS[g1]!);
          model.addConstraint(`${res}[${t.key},${g1},${h2}]`, sum.add(-perInstance * windowS, n), '<=', 0);
        }
      }
    });
  });
  for (const gpu of set) {
    const present = new LinearExpr();
    const used = new LinearExpr();
    types.forEach((t, i) => {
      if (t.gpu !== gpu || !count[i]) return;
      present.add(1, count[i]!);
      used.add(t.tp, count[i]!);
    });
    if (options.requirePresence) model.addConstraint(`present[${gpu}]`, present, '>=', 1);
    const limit = ctx.setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
    if (limit !== null) model.addConstraint(`avail[${gpu}]`, used, '<=', limit);
  }
  const cost = new LinearExpr();
  types.forEach((t, i) => {
    if (count[i]) cost.add(t.costPerHour, count[i]!);
  });
  model.setObjective('min', cost);
  return { model, status: 'built' };
}

/** G − 1 cut points at the quantiles of `xs` (bucket g: values ≤ cut g, the last unbounded). */
function cuts(xs: number[], G: number): number[] {
  const sorted = [...xs].sort((a, b) => a - b);
  return Array.from({ length: G - 1 }, (_, g) => sorted[Math.floor(((g + 1) * sorted.length) / G) - 1]!);
}

function bucketOf(cutPoints: number[], x: number): number {
  let g = 0;
  while (g < cutPoints.length && x > cutPoints[g]!) g++;
  return g;
}

/**
 * Per workflow and resource (prefill, decode, KV): its work on each type, summed over the calls
 * eligible there, and κ = Σ_calls min_t (call's work on t / workflow's work on t). Why κ: if the
 * calls go to types t(c), the work on t is W_t · y_t with y_t = Σ_{c on t} work_{c,t} / W_t, and
 * Σ_t y_t ≥ κ whatever the assignment, so routing y_t ≥ 0 with Σ y_t ≥ κ·m relaxes it (κ ≈ 1
 * when types differ by a common speed factor). A call with no eligible type makes the
 * workflow unservable within its deadline: it cannot be among the met ones.
 */
function workflowDemand(
  ctx: PlanContext,
  floors: ReturnType<typeof callFloors>,
  s: { pairIn: boolean[]; fast: ReturnType<typeof dagPaths>; deadline: number[] },
): Array<{ servable: boolean; work: number[][]; kappa: number[] }> {
  const { workload } = ctx;
  const table = ctx.demand.table;
  const { types, pairs } = table;
  const T = types.length;
  const out = workload.workflows.map(() => ({
    servable: true,
    work: [0, 1, 2].map(() => new Array<number>(T).fill(0)),
    kappa: [0, 0, 0],
  }));
  const eligible: Array<{ w: number; okP: boolean[]; okD: boolean[] }> = [];
  table.calls.forEach(([w], c) => {
    const wf = workload.workflows[w]!;
    const budget = s.deadline[w]! - wf.arrival_s - s.fast.beforeS[c]! - s.fast.afterS[c]!;
    const okP = new Array<boolean>(T).fill(false);
    const okD = new Array<boolean>(T).fill(false);
    pairs.forEach((pr, j) => {
      if (s.pairIn[j] && floors.leastLatencyS[c]![j]! <= budget + 1e-9) {
        okP[pr.p] = true;
        okD[pr.d] = true;
      }
    });
    eligible.push({ w, okP, okD });
    if (!okP.some(Boolean) || !okD.some(Boolean)) out[w]!.servable = false;
  });
  const callWork = (c: number) => [floors.prefillShareS[c]!, floors.decodeShareS[c]!, floors.kvTokenS[c]!];
  // Pass 1: workflow totals over eligible calls; types no call may use stay Infinity.
  const used = workload.workflows.map(() => [0, 1, 2].map(() => new Array<boolean>(T).fill(false)));
  eligible.forEach(({ w, okP, okD }, c) => {
    callWork(c).forEach((works, r) => {
      const ok = r === 0 ? okP : okD;
      for (let t = 0; t < T; t++) {
        if (!ok[t] || !Number.isFinite(works[t]!)) continue;
        out[w]!.work[r]![t]! += works[t]!;
        used[w]![r]![t] = true;
      }
    });
  });
  out.forEach((d, w) => {
    d.work.forEach((ws, r) => {
      for (let t = 0; t < T; t++) if (!used[w]![r]![t]) ws[t] = Number.POSITIVE_INFINITY;
    });
  });
  // Pass 2: κ.
  eligible.forEach(({ w, okP, okD }, c) => {
    callWork(c).forEach((works, r) => {
      const ok = r === 0 ? okP : okD;
      let least = Number.POSITIVE_INFINITY;
      for (let t = 0; t < T; t++) {
        const total = out[w]!.work[r]![t]!;
        if (!ok[t] || !Number.isFinite(works[t]!) || !(total > 0)) continue;
        least = Math.min(least, works[t]! / total);
      }
      if (Number.isFinite(least)) out[w]!.kappa[r]! += least;
    });
  });
  return out;
}
