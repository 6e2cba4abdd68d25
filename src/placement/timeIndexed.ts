import { HexplanError } from '../errors.ts';
import type { Objective } from '../schema/plan.ts';
import { LinearExpr, Model, type Var } from '../solver/model.ts';
import type { ModelStats } from './continuous.ts';
import type { PlacementData } from './data.ts';
import { completeSchedule, type GreedyTimes, greedySchedule } from './greedy.ts';
import { activeWorkflows, addActivity, addObjective, workflowHorizonsS } from './objectives.ts';
import { objectiveOfFinishes, type Schedule } from './schedule.ts';

/**
 * The time-indexed model: time in steps of Δ, X[i][p][t] = 1 when call i's prefill starts at
 * step t on p, Y[i][d][t] likewise for its decode; lanes, slots and KV are rows per step.
 *
 * rounding 'down' (durations, lags and ready times rounded down; horizons from a valid upper
 * bound): every exact schedule maps to a solution (step = ⌊time/Δ⌋) with no larger
 * objective, so its LP relaxation is a lower bound on the true optimum.
 * rounding 'up': every solution is an exact schedule at times Δ·step, so its plans are
 * feasible (re-scored by exact replay), but its bound proves nothing about the true optimum.
 */
export interface TimeIndexedOptions {
  deltaS: number;
  rounding: 'down' | 'up';
  /** Refuse to build beyond this many X + Y columns (default 400 000). */
  maxColumns?: number;
}

export interface TimeIndexedModel {
  model: Model;
  decode(values: ArrayLike<number>): Schedule;
  startFrom(schedule: Schedule, objectiveValue: number): Float64Array;
  stats: ModelStats;
  /** For 'up': the feasible grid schedule handed to the solver, and its objective. */
  gridStart: { schedule: Schedule; value: number } | null;
}

export function buildTimeIndexedModel(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  ub: number,
  options: TimeIndexedOptions,
): TimeIndexedModel {
  const { calls, instances } = data;
  const n = calls.length;
  const delta = options.deltaS;
  const R =
    options.rounding === 'down' ? (x: number) => Math.floor(x / delta) : (x: number) => Math.ceil(x / delta);
  const wfs = data.scenario.workload.workflows;
  const times: GreedyTimes = {
    release: (g) => R(wfs[calls[g]!.w]!.arrival_s + calls[g]!.toolS),
    prefill: (g, p) => R(calls[g]!.prefillS[p]!),
    lag: (g, p, d) => R(calls[g]!.pairs.find((pr) => pr.p === p && pr.d === d)!.lagS),
    decode: (g, d) => R(calls[g]!.decodeS[d]!),
    depLag: (h, g, d) => R(calls[h]!.decodeS[d]! + calls[g]!.toolS),
  };

  // 'up' needs a horizon that holds a grid schedule: the greedy in steps gives one.
  let gridStart: TimeIndexedModel['gridStart'] = null;
  let horizon: Float64Array;
  if (options.rounding === 'up') {
    const steps = greedySchedule(data, times);
    const schedule = toSeconds(steps, delta);
    const finish = finishStepsS(data, steps, times, delta);
    const value = objectiveOfFinishes(data, objective, quantile, finish);
    gridStart = { schedule, value };
    horizon = workflowHorizonsS(data, objective, quantile, value);
  } else horizon = workflowHorizonsS(data, objective, quantile, ub);
  const lastStep = Float64Array.from(horizon, (h) => Math.floor(h / delta));

  // Windows in steps: earliest starts forward, latest starts backward, in topological order.
  const estSp = new Float64Array(n);
  const estSd = new Float64Array(n);
  const lsd: Float64Array[] = calls.map(() =>
    new Float64Array(instances.length).fill(Number.NEGATIVE_INFINITY),
  );
  const lsp: Float64Array[] = calls.map(() =>
    new Float64Array(instances.length).fill(Number.NEGATIVE_INFINITY),
  );
  const order = topo(data);
  for (const g of order) {
    const c = calls[g]!;
    let e = times.release(g);
    for (const h of c.deps) {
      e = Math.max(e, estSd[h]! + Math.min(...calls[h]!.decode.map((d) => times.depLag(h, g, d))));
    }
    estSp[g] = e;
    estSd[g] = e + Math.min(...c.pairs.map((pr) => times.lag(g, pr.p, pr.d)));
  }
  for (let k = order.length - 1; k >= 0; k--) {
    const g = order[k]!;
    const c = calls[g]!;
    for (const d of c.decode) {
      let l = lastStep[c.w]! - times.decode(g, d);
      for (const j of c.children)
        l = Math.min(l, Math.max(...calls[j]!.prefill.map((p) => lsp[j]![p]!)) - times.depLag(g, j, d));
      lsd[g]![d] = l;
    }
    for (const p of c.prefill) {
      lsp[g]![p] = Math.max(...c.decode.map((d) => lsd[g]![d]! - times.lag(g, p, d)));
    }
  }
  let columns = 0;
  for (const c of calls) {
    for (const p of c.prefill) columns += Math.max(0, lsp[c.g]![p]! - estSp[c.g]! + 1);
    for (const d of c.decode) columns += Math.max(0, lsd[c.g]![d]! - estSd[c.g]! + 1);
  }
  const maxColumns = options.maxColumns ?? 400_000;
  if (columns > maxColumns) {
    throw new HexplanError(
      `time-indexed model at Δ = ${delta} s would have ${columns} start columns (limit ${maxColumns}); use a larger --delta`,
    );
  }

  const model = new Model(`hexplan_placement_ti_${options.rounding}`);
  const ubModel = gridStart?.value ?? ub;
  const active = addActivity(model, data, objective, quantile, ubModel);
  const X: Array<Map<number, Var[]>> = calls.map(() => new Map());
  const Y: Array<Map<number, Var[]>> = calls.map(() => new Map());
  for (const c of calls) {
    for (const p of c.prefill) {
      const vs: Var[] = [];
      for (let t = estSp[c.g]!; t <= lsp[c.g]![p]!; t++)
        vs.push(model.addVar({ name: `x_${c.g}_${p}_${t}`, type: 'binary' }));
      X[c.g]!.set(p, vs);
    }
    for (const d of c.decode) {
      const vs: Var[] = [];
      for (let t = estSd[c.g]!; t <= lsd[c.g]![d]!; t++)
        vs.push(model.addVar({ name: `y_${c.g}_${d}_${t}`, type: 'binary' }));
      Y[c.g]!.set(d, vs);
    }
  }
  const z = calls.map((c) => c.pairs.map((pr) => model.addVar({ name: `z_${c.g}_${pr.p}_${pr.d}`, ub: 1 })));
  const startExpr = (m: Map<number, Var[]>, t0: number, per?: (k: number) => number) => {
    const e = new LinearExpr();
    for (const [k, vs] of m)
      vs.forEach((v, s) => {
        e.add(t0 + s + (per ? per(k) : 0), v);
      });
    return e;
  };
  const usage = (m: Map<number, Var[]>, k: number) =>
    LinearExpr.of(...(m.get(k) ?? []).map((v): [number, Var] => [1, v]));
  // A decode's end in seconds: Δ · (start step + duration in steps).
  const endOf = (g: number) =>
    scaleExpr(
      startExpr(Y[g]!, estSd[g]!, (d) => times.decode(g, d)),
      delta,
    );

  for (const c of calls) {
    const g = c.g;
    for (const p of c.prefill) {
      const e = usage(X[g]!, p);
      c.pairs.forEach((pr, k) => {
        if (pr.p === p) e.add(-1, z[g]![k]!);
      });
      model.addConstraint(`zp_${g}_${p}`, e, '=', 0);
    }
    for (const d of c.decode) {
      const e = usage(Y[g]!, d);
      c.pairs.forEach((pr, k) => {
        if (pr.d === d) e.add(-1, z[g]![k]!);
      });
      model.addConstraint(`zd_${g}_${d}`, e, '=', 0);
    }
    const assign = LinearExpr.of(...z[g]!.map((v): [number, Var] => [1, v]));
    const act = active[c.w];
    if (act) model.addConstraint(`assign_${g}`, assign.add(-1, act), '=', 0);
    else model.addConstraint(`assign_${g}`, assign, '=', 1);
    const link = startExpr(Y[g]!, estSd[g]!).addExpr(startExpr(X[g]!, estSp[g]!), -1);
    c.pairs.forEach((pr, k) => {
      link.add(-times.lag(g, pr.p, pr.d), z[g]![k]!);
    });
    model.addConstraint(`link_${g}`, link, '>=', 0);
    for (const h of c.deps) {
      const e = startExpr(X[g]!, estSp[g]!).addExpr(
        startExpr(Y[h]!, estSd[h]!, (d) => times.depLag(h, g, d)),
        -1,
      );
      model.addConstraint(`dep_${h}_${g}`, e, '>=', 0);
    }
  }
  // Resource rows per step: a start at s occupies steps s … s + dur − 1.
  let capacitySkipped = 0;
  for (const inst of instances) {
    const i = inst.index;
    if (inst.canPrefill)
      addOccupancy(
        model,
        `lane_${i}`,
        calls
          .filter((c) => X[c.g]!.has(i))
          .map((c) => ({ vars: X[c.g]!.get(i)!, t0: estSp[c.g]!, dur: times.prefill(c.g, i), weight: 1 })),
        1,
      );
    if (inst.canDecode) {
      const users = calls.filter((c) => Y[c.g]!.has(i));
      const items = (w: (g: number) => number) =>
        users.map((c) => ({
          vars: Y[c.g]!.get(i)!,
          t0: estSd[c.g]!,
          dur: times.decode(c.g, i),
          weight: w(c.g),
        }));
      if (users.length > inst.decodeSlots)
        addOccupancy(
          model,
          `slots_${i}`,
          items(() => 1),
          inst.decodeSlots,
        );
      else capacitySkipped++;
      if (users.reduce((s, c) => s + c.kvTokens, 0) > inst.kvCapacityTokens)
        addOccupancy(
          model,
          `kv_${i}`,
          items((g) => calls[g]!.kvTokens),
          inst.kvCapacityTokens,
        );
      else capacitySkipped++;
    }
  }
  const objectiveColumns = addObjective(
    model,
    data,
    objective,
    quantile,
    endOf,
    horizon,
    ubModel,
    active,
    true,
  );

  const decode = (values: ArrayLike<number>): Schedule => {
    const pick = (m: Map<number, Var[]>, t0: number): [number, number] => {
      let best: [number, number, number] = [-1, 0, -1];
      for (const [k, vs] of m)
        vs.forEach((v, s) => {
          if (values[v.index]! > best[2]) best = [k, t0 + s, values[v.index]!];
        });
      return [best[0], best[1]];
    };
    const s: Schedule = {
      prefillInstance: new Int32Array(n),
      decodeInstance: new Int32Array(n),
      prefillStartS: new Float64Array(n),
      decodeStartS: new Float64Array(n),
    };
    const isActive = active.map((v) => v === null || values[v.index]! > 0.5);
    for (const c of calls) {
      if (!isActive[c.w]) continue;
      const [p, tp] = pick(X[c.g]!, estSp[c.g]!);
      const [d, td] = pick(Y[c.g]!, estSd[c.g]!);
      s.prefillInstance[c.g] = p;
      s.decodeInstance[c.g] = d;
      s.prefillStartS[c.g] = tp * delta;
      s.decodeStartS[c.g] = td * delta;
    }
    return completeSchedule(data, s, isActive);
  };
  const startFrom = (schedule: Schedule, value: number): Float64Array => {
    const values = new Float64Array(model.variables.length);
    const finish = Float64Array.from(data.workflowCalls, (gs) =>
      Math.max(
        ...gs.map((g) => schedule.decodeStartS[g]! + delta * times.decode(g, schedule.decodeInstance[g]!)),
      ),
    );
    const isActive = activeWorkflows(data, objective, quantile, finish, value);
    active.forEach((v, w) => {
      if (v) values[v.index] = isActive[w] ? 1 : 0;
    });
    for (const c of calls) {
      if (!isActive[c.w]) continue;
      const p = schedule.prefillInstance[c.g]!;
      const d = schedule.decodeInstance[c.g]!;
      const tp = Math.round(schedule.prefillStartS[c.g]! / delta);
      const td = Math.round(schedule.decodeStartS[c.g]! / delta);
      const xv = X[c.g]!.get(p)?.[tp - estSp[c.g]!];
      const yv = Y[c.g]!.get(d)?.[td - estSd[c.g]!];
      if (!xv || !yv) throw new Error(`start outside the time-indexed windows for call ${c.g}`);
      values[xv.index] = 1;
      values[yv.index] = 1;
      c.pairs.forEach((pr, k) => {
        values[z[c.g]![k]!.index] = pr.p === p && pr.d === d ? 1 : 0;
      });
    }
    objectiveColumns.fillStart(values, finish, value);
    return values;
  };
  return {
    model,
    decode,
    startFrom,
    gridStart,
    stats: {
      calls: n,
      columns: model.variables.length,
      binaries: model.variables.filter((v) => v.type === 'binary').length,
      rows: model.constraints.length,
      prefill_order_pairs: 0,
      decode_order_pairs: 0,
      overlap_indicators: 0,
      capacity_rows_skipped: capacitySkipped,
      tie_triples: 0,
      symmetry_groups: 0,
    },
  };
}

function scaleExpr(e: LinearExpr, k: number): LinearExpr {
  return new LinearExpr().addExpr(e, k);
}

/** Σ over items of weight · [item runs at step t] ≤ cap, for every step some item can occupy. */
function addOccupancy(
  model: Model,
  name: string,
  items: Array<{ vars: Var[]; t0: number; dur: number; weight: number }>,
  cap: number,
): void {
  const rows = new Map<number, LinearExpr>();
  for (const it of items) {
    if (it.dur <= 0) continue;
    it.vars.forEach((v, s) => {
      for (let t = it.t0 + s; t < it.t0 + s + it.dur; t++) {
        let e = rows.get(t);
        if (!e) rows.set(t, (e = new LinearExpr()));
        e.add(it.weight, v);
      }
    });
  }
  for (const t of [...rows.keys()].sort((a, b) => a - b)) {
    const e = rows.get(t)!;
    let total = 0;
    for (const c of e.coefs) total += c;
    // A row whose every term together fits the capacity cannot bind.
    if (total > cap) model.addConstraint(`${name}_${t}`, e, '<=', cap);
  }
}

function toSeconds(s: Schedule, delta: number): Schedule {
  return {
    ...s,
    prefillStartS: s.prefillStartS.map((t) => t * delta),
    decodeStartS: s.decodeStartS.map((t) => t * delta),
  };
}

function finishStepsS(data: PlacementData, steps: Schedule, times: GreedyTimes, delta: number): Float64Array {
  return Float64Array.from(data.workflowCalls, (gs) =>
    Math.max(...gs.map((g) => delta * (steps.decodeStartS[g]! + times.decode(g, steps.decodeInstance[g]!)))),
  );
}

function topo(data: PlacementData): number[] {
  const pending = Int32Array.from(data.calls, (c) => c.deps.length);
  const out = data.calls.filter((c) => c.deps.length === 0).map((c) => c.g);
  for (let k = 0; k < out.length; k++) {
    for (const ch of data.calls[out[k]!]!.children) if (--pending[ch]! === 0) out.push(ch);
  }
  return out;
}
