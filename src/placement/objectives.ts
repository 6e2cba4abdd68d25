import { HexplanError } from '../errors.ts';
import type { Activity, ObjectiveColumns, ObjectiveInput } from '../objective/objective.ts';
import { looseUpper } from '../objective/objective.ts';
import { getObjective } from '../objective/registry.ts';
import type { Objective } from '../schema/plan.ts';
import type { LinearExpr, Model, Var } from '../solver/model.ts';
import type { PlacementData } from './data.ts';

/**
 * The generic half of every placement objective; the objective-specific half (its columns,
 * rows and bounds) is the objective's own object in src/objective/. Each model's objective
 * row is exactly the reported number, constants included.
 */

/** What an objective sees of the placement data. */
export function objectiveInput(data: PlacementData): ObjectiveInput {
  return {
    workflows: data.scenario.workload.workflows,
    standaloneS: data.scenario.standaloneS,
    minScale: data.minScale,
    sinks: data.sinks,
  };
}

/** A bound on the objective valid for every exact-mode schedule, from each workflow's fastest critical path. */
export function cheapObjectiveBound(data: PlacementData, objective: Objective, quantile: number): number {
  return getObjective(objective).minimum(objectiveInput(data), quantile);
}

export function checkObjective(data: PlacementData, objective: Objective, quantile: number): void {
  if (!(quantile > 0 && quantile <= 1)) throw new HexplanError(`quantile: ${quantile} is outside (0, 1]`);
  getObjective(objective).check(objectiveInput(data), data.scenario.workloadFile);
}

/**
 * Which workflows a model must schedule. A workflow the objective does not limit — one left
 * unmet at the quantile, or one without a deadline under weighted-tardiness — can always be
 * appended after everything else (its calls one after another once all other calls have
 * ended) without changing the objective. So the models schedule only "active" workflows and
 * the plan appends the rest (greedy.ts), which keeps every horizon tight.
 * Returns, per workflow, 'always', 'never' or 'chosen' (the model's met_w binary decides).
 */
export function workflowActivity(data: PlacementData, objective: Objective, quantile: number): Activity[] {
  return getObjective(objective).activity(objectiveInput(data), quantile);
}

/**
 * Latest finish an active workflow can have in SOME optimal schedule, given an upper bound
 * `ub` on the optimum (the objective's horizonS). A workflow that is never active gets its
 * earliest finish (its columns are unused).
 */
export function workflowHorizonsS(
  data: PlacementData,
  objective: Objective,
  quantile: number,
  ub: number,
): Float64Array {
  const obj = getObjective(objective);
  const input = objectiveInput(data);
  const wfs = input.workflows;
  const s = input.standaloneS;
  const activity = obj.activity(input, quantile);
  const total = data.minScale.reduce((a, b) => a + b, 0);
  const h = wfs.map((wf, w): number => {
    const earliest = wf.arrival_s + data.minScale[w]! * s[w]!;
    if (activity[w] === 'never') return earliest;
    return obj.horizonS(input, w, ub, total);
  });
  // Slack for the float noise of the schedule that produced ub (it must stay feasible), and
  // never below the earliest finish (a workflow that cannot be met keeps a valid window).
  return Float64Array.from(h, (x, w) =>
    Math.max(looseUpper(x), wfs[w]!.arrival_s + data.minScale[w]! * s[w]!),
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
  const ubVar = looseUpper(ub);
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
  return getObjective(objective).addTerms(model, objectiveInput(data), quantile, {
    endOf,
    horizonS,
    ub,
    active,
    homogeneous,
  });
}
