import { HexplanError, optionError } from '../errors.ts';
import type { Objective } from '../schema/plan.ts';
import { requiredRank } from '../slo/quantile.ts';
import { LinearExpr, type Model, type Var } from '../solver/model.ts';
import type { PlacementData } from './data.ts';

/**
 * The four placement objectives (docs/concepts.md "Placement ILP"). Each model's objective row is
 * exactly the reported number, constants included: k itself for quantile-scale, the latest
 * finish in seconds for makespan, Σ (finish − arrival)/s_w / W for mean-scale, and
 * Σ max(0, finish − arrival − deadline) for weighted-tardiness (weight 1: the workload
 * format has none; deadline_s is a latency budget relative to arrival).
 */

/** A bound on the objective valid for every exact-mode schedule, from each workflow's fastest critical path. */
export function cheapObjectiveBound(data: PlacementData, objective: Objective, quantile: number): number {
  const wfs = data.scenario.workload.workflows;
  const s = data.scenario.standaloneS;
  const W = wfs.length;
  switch (objective) {
    case 'quantile-scale': {
      const sorted = Float64Array.from(data.minScale).sort();
      return Math.max(1, sorted[requiredRank(W, quantile) - 1]!);
    }
    case 'makespan':
      return Math.max(...wfs.map((wf, w) => wf.arrival_s + data.minScale[w]! * s[w]!));
    case 'mean-scale':
      return data.minScale.reduce((a, b) => a + b, 0) / W;
    case 'weighted-tardiness':
      return wfs.reduce(
        (sum, wf, w) =>
          wf.deadline_s === undefined ? sum : sum + Math.max(0, data.minScale[w]! * s[w]! - wf.deadline_s),
        0,
      );
  }
}

export function checkObjective(data: PlacementData, objective: Objective, quantile: number): void {
  if (!(quantile > 0 && quantile <= 1)) throw optionError('quantile', `must be in (0, 1], got ${quantile}`);
  if (
    objective === 'weighted-tardiness' &&
    data.scenario.workload.workflows.every((w) => w.deadline_s === undefined)
  ) {
    throw new HexplanError(
      `${data.scenario.workloadFile}: workflows: objective weighted-tardiness needs deadline_s on at least one workflow`,
    );
  }
}

/**
 * Which workflows a model must schedule. A workflow the objective does not limit — one left
 * unmet at the quantile, or one without a deadline under weighted-tardiness — can always be
 * appended after everything else (its calls one after another once all other calls have
 * ended) without changing the objective. So the models schedule only "active" workflows and
 * the plan appends the rest (greedy.ts), which keeps every horizon tight.
 * Returns, per workflow, 'always', 'never' or 'chosen' (the model's met_w binary decides).
 */
export type Activity = 'always' | 'never' | 'chosen';

export function workflowActivity(data: PlacementData, objective: Objective, quantile: number): Activity[] {
  const wfs = data.scenario.workload.workflows;
  if (objective === 'quantile-scale') {
    const chosen = requiredRank(wfs.length, quantile) < wfs.length;
    return wfs.map(() => (chosen ? 'chosen' : 'always'));
  }
  if (objective === 'weighted-tardiness')
    return wfs.map((wf) => (wf.deadline_s === undefined ? 'never' : 'always'));
  return wfs.map(() => 'always');
}

/**
 * Latest finish an active workflow can have in SOME optimal schedule, given an upper bound
 * `ub` on the optimum: met workflows end by arrival + ub·s_w, tardy ones by their deadline + ub,
 * and under mean-scale Σ scales ≤ W·ub with every other scale at least its minimum.
 * A workflow that is never active gets its earliest finish (its columns are unused).
 */
export function workflowHorizonsS(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  ub: number,
): Float64Array {
  const wfs = data.scenario.workload.workflows;
  const s = data.scenario.standaloneS;
  const W = wfs.length;
  const activity = workflowActivity(data, objective, quantile);
  const total = data.minScale.reduce((a, b) => a + b, 0);
  const h = wfs.map((wf, w): number => {
    const earliest = wf.arrival_s + data.minScale[w]! * s[w]!;
    if (activity[w] === 'never') return earliest;
    switch (objective) {
      case 'quantile-scale':
        return wf.arrival_s + ub * s[w]!;
      case 'makespan':
        return ub;
      case 'mean-scale':
        return wf.arrival_s + s[w]! * (W * ub - (total - data.minScale[w]!));
      default:
        return wf.arrival_s + wf.deadline_s! + ub;
    }
  });
  // Slack for the float noise of the schedule that produced ub (it must stay feasible), and
  // never below the earliest finish (a workflow that cannot be met keeps a valid window).
  return Float64Array.from(h, (x, w) =>
    Math.max(x + 1e-6 * Math.max(1, Math.abs(x)), wfs[w]!.arrival_s + data.minScale[w]! * s[w]!),
  );
}

/** Per workflow: null when always active, else its activity column (met_w, or fixed at 0). */
export function addActivity(
  model: Model,
  data: PlacementData,
  objective: Objective,
  quantile: number,
  ub: number,
): Array<Var | null> {
  const ubVar = ub + 1e-6 * Math.max(1, Math.abs(ub));
  return workflowActivity(data, objective, quantile).map((a, w) => {
    if (a === 'always') return null;
    if (a === 'never') return model.addVar({ name: `active_${w}`, type: 'binary', ub: 0 });
    // A workflow whose fastest schedule already exceeds ub cannot be met by an improvement.
    return model.addVar({ name: `met_${w}`, type: 'binary', ub: data.minScale[w]! > ubVar ? 0 : 1 });
  });
}

/** Workflows a schedule with objective value `value` keeps active (met at value, or always). */
export function activeWorkflows(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  finishS: ArrayLike<number>,
  value: number,
): boolean[] {
  const wfs = data.scenario.workload.workflows;
  return workflowActivity(data, objective, quantile).map((a, w) => {
    if (a !== 'chosen') return a === 'always';
    const scale = (finishS[w]! - wfs[w]!.arrival_s) / data.scenario.standaloneS[w]!;
    return scale <= value + 1e-9 * Math.max(1, value);
  });
}

/** The objective's columns in a model, and how to fill them from a schedule's finish times. */
export interface ObjectiveColumns {
  fillStart(values: Float64Array, finishS: ArrayLike<number>, objectiveValue: number): void;
}

/**
 * Adds the objective: its variables, the rows tying them to each workflow's sinks' decode
 * ends (`endOf(g)`), and the objective row. `active` holds the met_w columns (addActivity).
 * `homogeneous`: endOf(g) is 0 when the call is not scheduled (time-indexed), so the met row
 * needs no big-M; otherwise big-M = latest end − arrival − s_w · (least k).
 */
export function addObjective(
  model: Model,
  data: PlacementData,
  objective: Objective,
  quantile: number,
  endOf: (g: number) => LinearExpr,
  horizonS: Float64Array,
  ub: number,
  active: Array<Var | null>,
  homogeneous: boolean,
): ObjectiveColumns {
  const wfs = data.scenario.workload.workflows;
  const s = data.scenario.standaloneS;
  const W = wfs.length;
  const lb = cheapObjectiveBound(data, objective, quantile);
  const ubVar = ub + 1e-6 * Math.max(1, Math.abs(ub));
  switch (objective) {
    case 'quantile-scale': {
      const rank = requiredRank(W, quantile);
      const k = model.addVar({ name: 'k', lb, ub: Math.max(lb, ubVar) });
      model.setObjective('min', LinearExpr.of([1, k]));
      wfs.forEach((wf, w) => {
        const met = active[w];
        for (const g of data.sinks[w]!) {
          if (!met) model.addConstraint(`scale_${w}_${g}`, endOf(g).add(-s[w]!, k), '<=', wf.arrival_s);
          else if (homogeneous) {
            model.addConstraint(`scale_${w}_${g}`, endOf(g).add(-s[w]!, k).add(-wf.arrival_s, met), '<=', 0);
          } else {
            const M = Math.max(0, horizonS[w]! - wf.arrival_s - s[w]! * lb);
            model.addConstraint(
              `scale_${w}_${g}`,
              endOf(g).add(-s[w]!, k).add(M, met),
              '<=',
              wf.arrival_s + M,
            );
          }
        }
        // A met workflow's scale is at least its minimum, so k is too (strengthens the LP).
        if (met) model.addConstraint(`kmin_${w}`, LinearExpr.of([1, k], [-data.minScale[w]!, met]), '>=', 0);
      });
      const mets = active.filter((v): v is Var => v !== null);
      if (mets.length > 0) {
        model.addConstraint(
          'quantile',
          LinearExpr.of(...mets.map((m): [number, Var] => [1, m])),
          '>=',
          rank - (W - mets.length),
        );
      }
      return {
        fillStart: (values, _f, value) => {
          values[k.index] = value;
        },
      };
    }
    case 'makespan': {
      const cmax = model.addVar({ name: 'makespan', lb, ub: Math.max(lb, ubVar) });
      model.setObjective('min', LinearExpr.of([1, cmax]));
      data.calls.forEach((c) => {
        if (c.children.length === 0) model.addConstraint(`cmax_${c.g}`, endOf(c.g).add(-1, cmax), '<=', 0);
      });
      return {
        fillStart: (values, _f, value) => {
          values[cmax.index] = value;
        },
      };
    }
    case 'mean-scale': {
      const obj = new LinearExpr();
      const f = wfs.map((wf, w) => {
        const v = model.addVar({
          name: `finish_${w}`,
          lb: wf.arrival_s + data.minScale[w]! * s[w]!,
          ub: Math.max(horizonS[w]!, wf.arrival_s + data.minScale[w]! * s[w]!),
        });
        for (const g of data.sinks[w]!) model.addConstraint(`fin_${w}_${g}`, endOf(g).add(-1, v), '<=', 0);
        obj.add(1 / (s[w]! * W), v).addConstant(-wf.arrival_s / (s[w]! * W));
        return v;
      });
      model.setObjective('min', obj);
      return {
        fillStart: (values, finishS) => {
          f.forEach((v, w) => {
            values[v.index] = finishS[w]!;
          });
        },
      };
    }
    case 'weighted-tardiness': {
      const obj = new LinearExpr();
      const t = wfs.map((wf, w) => {
        if (wf.deadline_s === undefined) return null;
        const v = model.addVar({ name: `tardy_${w}`, lb: 0 });
        const limit = wf.arrival_s + wf.deadline_s;
        for (const g of data.sinks[w]!)
          model.addConstraint(`tardy_${w}_${g}`, endOf(g).add(-1, v), '<=', limit);
        obj.add(1, v);
        return v;
      });
      model.setObjective('min', obj);
      return {
        fillStart: (values, finishS) => {
          t.forEach((v, w) => {
            if (v) values[v.index] = Math.max(0, finishS[w]! - wfs[w]!.arrival_s - wfs[w]!.deadline_s!);
          });
        },
      };
    }
  }
}
