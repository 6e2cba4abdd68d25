import type { Objective } from '../schema/plan.ts';
import type { PlacementModelStats } from '../schema/results/plan.ts';
import { LinearExpr, Model, type Var } from '../solver/model.ts';
import { dagOrdered, type PlacementData } from './data.ts';
import { completeSchedule } from './greedy.ts';
import { activeWorkflows, addActivity, addObjective, workflowHorizonsS } from './objectives.ts';
import { decodeEndS, finishTimesS, type Schedule } from './schedule.ts';
import { addSymmetryBreaking, relabelForSymmetry } from './symmetry.ts';
import { addTieTransitivity } from './ties.ts';

/**
 * The exact continuous-time placement model (docs/placement.md has the math):
 * z[g][pair] assigns call g a (prefill, decode) pair; sp/sd are its prefill and decode starts;
 * one binary u per call pair orders prefills on a shared lane; one binary o per call pair
 * orders decode starts, and b[i][j][d] = 1 when j's decode on d is running at i's decode start,
 * so slots and KV are checked at every decode start (the load is maximal at some start).
 * Every big-M is the largest violation the row can see inside the calls' time windows.
 */
export interface ContinuousModel {
  model: Model;
  /** The schedule a solution encodes (solver values → instances and start times). */
  decode(values: ArrayLike<number>): Schedule;
  /** Every column's value for a feasible schedule with objective value `objectiveValue`. */
  startFrom(schedule: Schedule, objectiveValue: number): Float64Array;
  stats: ModelStats;
}

/** The model's size, as `plan --json` reports it (the zod result schema is its definition). */
export type ModelStats = PlacementModelStats;

export function buildContinuousModel(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  ub: number,
): ContinuousModel {
  const { calls, instances } = data;
  const model = new Model('hexplan_placement');
  const horizon = workflowHorizonsS(data, objective, quantile, ub);
  // met_w (or a fixed 0) for workflows the model may leave out; see objectives.ts.
  const active = addActivity(model, data, objective, quantile, ub);
  // Time windows: latest decode end leaves room for the fastest rest of the workflow.
  const lct = calls.map((c) => horizon[c.w]! - c.tailS);
  const lstSp = calls.map((c) => Math.max(c.estPrefillS, lct[c.g]! - c.minTotalS));
  const lstSd = calls.map((c) => Math.max(c.estDecodeS, lct[c.g]! - c.minDecodeS));

  const z: Var[][] = calls.map((c) =>
    c.pairs.map((pr) =>
      model.addVar({
        name: `z_${c.g}_${pr.p}_${pr.d}`,
        type: 'binary',
        lb: c.pairs.length === 1 && !active[c.w] ? 1 : 0,
      }),
    ),
  );
  const sp = calls.map((c) => model.addVar({ name: `sp_${c.g}`, lb: c.estPrefillS, ub: lstSp[c.g]! }));
  const sd = calls.map((c) => model.addVar({ name: `sd_${c.g}`, lb: c.estDecodeS, ub: lstSd[c.g]! }));
  const onPrefill = (g: number, p: number) => {
    const e = new LinearExpr();
    calls[g]!.pairs.forEach((pr, k) => {
      if (pr.p === p) e.add(1, z[g]![k]!);
    });
    return e;
  };
  const onDecode = (g: number, d: number) => {
    const e = new LinearExpr();
    calls[g]!.pairs.forEach((pr, k) => {
      if (pr.d === d) e.add(1, z[g]![k]!);
    });
    return e;
  };
  const endOf = (g: number) => {
    const e = LinearExpr.of([1, sd[g]!]);
    calls[g]!.pairs.forEach((pr, k) => {
      e.add(calls[g]!.decodeS[pr.d]!, z[g]![k]!);
    });
    return e;
  };

  for (const c of calls) {
    // Σ pairs = 1, or = met_w: a left-out call has no pair, which relaxes all its big-M rows.
    const assign = LinearExpr.of(...z[c.g]!.map((v): [number, Var] => [1, v]));
    const act = active[c.w];
    if (act) model.addConstraint(`assign_${c.g}`, assign.add(-1, act), '=', 0);
    else model.addConstraint(`assign_${c.g}`, assign, '=', 1);
    const link = LinearExpr.of([1, sd[c.g]!], [-1, sp[c.g]!]);
    c.pairs.forEach((pr, k) => {
      link.add(-pr.lagS, z[c.g]![k]!);
    });
    model.addConstraint(`link_${c.g}`, link, '>=', 0);
    for (const h of c.deps) {
      model.addConstraint(
        `dep_${h}_${c.g}`,
        LinearExpr.of([1, sp[c.g]!]).addExpr(endOf(h), -1),
        '>=',
        c.toolS,
      );
    }
  }

  // Prefill lanes: one binary per call pair that may collide on a shared lane.
  const u = new Map<number, Var>();
  const n = calls.length;
  const key = (i: number, j: number) => i * n + j;
  for (let i = 0; i < n; i++) {
    const ci = calls[i]!;
    for (let j = i + 1; j < n; j++) {
      const cj = calls[j]!;
      if (dagOrdered(data, i, j)) continue;
      for (const p of ci.prefill) {
        if (Number.isNaN(cj.prefillS[p]!)) continue;
        const mij = lstSp[i]! + ci.prefillS[p]! - cj.estPrefillS;
        const mji = lstSp[j]! + cj.prefillS[p]! - ci.estPrefillS;
        if (mij <= 0 || mji <= 0) continue; // the windows already order them on p
        let o = u.get(key(i, j));
        if (!o) u.set(key(i, j), (o = model.addVar({ name: `u_${i}_${j}`, type: 'binary' })));
        const both = onPrefill(i, p).addExpr(onPrefill(j, p));
        // u = 1: i first. Relaxed by M per unit of (1 − u) + (2 − x_ip − x_jp).
        model.addConstraint(
          `pf_${i}_${j}_${p}`,
          LinearExpr.of([1, sp[j]!], [-1, sp[i]!], [-mij, o]).addExpr(both, -mij),
          '>=',
          ci.prefillS[p]! - 3 * mij,
        );
        model.addConstraint(
          `pf_${j}_${i}_${p}`,
          LinearExpr.of([1, sp[i]!], [-1, sp[j]!], [mji, o]).addExpr(both, -mji),
          '>=',
          cj.prefillS[p]! - 2 * mji,
        );
      }
    }
  }

  // Decode capacity: which calls may be running at i's decode start on d.
  const mayContain = (i: number, j: number) =>
    !dagOrdered(data, i, j) && calls[j]!.estDecodeS <= lstSd[i]! && calls[i]!.estDecodeS < lct[j]!;
  const needRows = new Map<string, { kv: boolean; slots: boolean; others: number[] }>();
  let capacityRowsSkipped = 0;
  for (const ci of calls) {
    for (const d of ci.decode) {
      const others: number[] = [];
      let kv = ci.kvTokens;
      for (const cj of calls) {
        if (cj.g === ci.g || Number.isNaN(cj.decodeS[d]!) || !mayContain(ci.g, cj.g)) continue;
        others.push(cj.g);
        kv += cj.kvTokens;
      }
      const inst = instances[d]!;
      const rows = { kv: kv > inst.kvCapacityTokens, slots: others.length + 1 > inst.decodeSlots, others };
      if (rows.kv || rows.slots) needRows.set(`${ci.g}/${d}`, rows);
      else capacityRowsSkipped++;
    }
  }
  const o = new Map<number, Var>();
  const b = new Map<string, Var>();
  const orderVar = (i: number, j: number) => {
    let v = o.get(key(i, j));
    if (v) return v;
    v = model.addVar({ name: `o_${i}_${j}`, type: 'binary' });
    o.set(key(i, j), v);
    const aij = Math.max(0, lstSd[i]! - calls[j]!.estDecodeS);
    const aji = Math.max(0, lstSd[j]! - calls[i]!.estDecodeS);
    // o = 1: i's decode starts no later than j's; o = 0: the reverse.
    if (aij > 0)
      model.addConstraint(`ord_${i}_${j}`, LinearExpr.of([1, sd[j]!], [-1, sd[i]!], [-aij, v]), '>=', -aij);
    if (aji > 0)
      model.addConstraint(`ord_${j}_${i}`, LinearExpr.of([1, sd[i]!], [-1, sd[j]!], [aji, v]), '>=', 0);
    return v;
  };
  for (const [k, rows] of needRows) {
    const [i, d] = k.split('/').map(Number) as [number, number];
    const ci = calls[i]!;
    const inst = instances[d]!;
    const kvRow = new LinearExpr();
    const slotRow = new LinearExpr();
    for (const j of rows.others) {
      const cj = calls[j]!;
      // Largest violation: j at its latest start (even when j is not on d the row must hold
      // once relaxed by one M, and j may then start as late as its window allows).
      const M = lstSd[j]! + cj.decodeS[d]! - ci.estDecodeS;
      if (M <= 0) continue;
      const lo = Math.min(i, j);
      const hi = Math.max(i, j);
      const ord = orderVar(lo, hi);
      const bv = model.addVar({ name: `b_${i}_${j}_${d}`, type: 'binary' });
      b.set(`${i}/${j}/${d}`, bv);
      const both = onDecode(i, d).addExpr(onDecode(j, d));
      // j first (o says so), both on d, b = 0 ⇒ i starts after j ends. "j first" is o = 0
      // when i < j and o = 1 when j < i.
      const e = LinearExpr.of([1, sd[i]!], [-1, sd[j]!], [M, bv]).addExpr(both, -M);
      if (i < j) model.addConstraint(`cov_${i}_${j}_${d}`, e.add(M, ord), '>=', cj.decodeS[d]! - 2 * M);
      else model.addConstraint(`cov_${i}_${j}_${d}`, e.add(-M, ord), '>=', cj.decodeS[d]! - 3 * M);
      kvRow.add(cj.kvTokens, bv);
      slotRow.add(1, bv);
    }
    if (rows.kv) {
      model.addConstraint(
        `kv_${i}_${d}`,
        kvRow.addExpr(onDecode(i, d), -(inst.kvCapacityTokens - ci.kvTokens)),
        '<=',
        0,
      );
    }
    if (rows.slots) {
      model.addConstraint(
        `slots_${i}_${d}`,
        slotRow.addExpr(onDecode(i, d), -(inst.decodeSlots - 1)),
        '<=',
        0,
      );
    }
  }

  const tieTriples = addTieTransitivity(model, data, o, key, n, lstSd, (g, d) => needRows.has(`${g}/${d}`));

  const objectiveColumns = addObjective(model, data, objective, quantile, endOf, horizon, ub, active, false);
  const symmetryGroups = addSymmetryBreaking(model, data, onPrefill, onDecode);

  const decode = (values: ArrayLike<number>): Schedule => {
    const isActive = active.map((v) => v === null || values[v.index]! > 0.5);
    const s: Schedule = {
      prefillInstance: new Int32Array(n),
      decodeInstance: new Int32Array(n),
      prefillStartS: new Float64Array(n),
      decodeStartS: new Float64Array(n),
    };
    for (const c of calls) {
      if (!isActive[c.w]) continue;
      let best = 0;
      z[c.g]!.forEach((v, k) => {
        if (values[v.index]! > values[z[c.g]![best]!.index]!) best = k;
      });
      s.prefillInstance[c.g] = c.pairs[best]!.p;
      s.decodeInstance[c.g] = c.pairs[best]!.d;
      s.prefillStartS[c.g] = values[sp[c.g]!.index]!;
      s.decodeStartS[c.g] = values[sd[c.g]!.index]!;
    }
    return completeSchedule(data, s, isActive);
  };

  const startFrom = (original: Schedule, objectiveValue: number): Float64Array => {
    const finish = finishTimesS(data, original);
    const isActive = activeWorkflows(data, objective, quantile, finish, objectiveValue);
    const relabeled = relabelForSymmetry(data, original, (g) => isActive[calls[g]!.w]!);
    // Left-out calls sit at their earliest times with no pair, as the model allows.
    const s: Schedule = {
      ...relabeled,
      prefillStartS: Float64Array.from(calls, (c) =>
        isActive[c.w] ? relabeled.prefillStartS[c.g]! : c.estPrefillS,
      ),
      decodeStartS: Float64Array.from(calls, (c) =>
        isActive[c.w] ? relabeled.decodeStartS[c.g]! : c.estDecodeS,
      ),
    };
    const values = new Float64Array(model.variables.length);
    active.forEach((v, w) => {
      if (v) values[v.index] = isActive[w] ? 1 : 0;
    });
    for (const c of calls) {
      c.pairs.forEach((pr, k) => {
        values[z[c.g]![k]!.index] =
          isActive[c.w] && pr.p === s.prefillInstance[c.g] && pr.d === s.decodeInstance[c.g] ? 1 : 0;
      });
      values[sp[c.g]!.index] = s.prefillStartS[c.g]!;
      values[sd[c.g]!.index] = s.decodeStartS[c.g]!;
    }
    for (const [k, v] of u) {
      const i = Math.floor(k / n);
      const j = k % n;
      values[v.index] = s.prefillStartS[i]! <= s.prefillStartS[j]! ? 1 : 0;
    }
    for (const [k, v] of o) {
      const i = Math.floor(k / n);
      const j = k % n;
      values[v.index] = s.decodeStartS[i]! <= s.decodeStartS[j]! ? 1 : 0;
    }
    for (const [k, v] of b) {
      const [i, j, d] = k.split('/').map(Number) as [number, number, number];
      const jFirst = i < j ? values[o.get(key(i, j))!.index] === 0 : values[o.get(key(j, i))!.index] === 1;
      const running =
        isActive[calls[i]!.w]! &&
        isActive[calls[j]!.w]! &&
        s.decodeInstance[i] === d &&
        s.decodeInstance[j] === d &&
        jFirst &&
        s.decodeStartS[i]! < decodeEndS(data, s, j) - 1e-9;
      values[v.index] = running ? 1 : 0;
    }
    objectiveColumns.fillStart(values, finish, objectiveValue);
    return values;
  };

  const binaries = model.variables.filter((v) => v.type === 'binary').length;
  return {
    model,
    decode,
    startFrom,
    stats: {
      calls: n,
      columns: model.variables.length,
      binaries,
      rows: model.constraints.length,
      prefill_order_pairs: u.size,
      decode_order_pairs: o.size,
      overlap_indicators: b.size,
      capacity_rows_skipped: capacityRowsSkipped,
      tie_triples: tieTriples,
      symmetry_groups: symmetryGroups,
    },
  };
}
