import type { Workflow } from '../schema/workload.ts';
import type { ObjectiveValues } from '../slo/objectiveValues.ts';
import type { LinearExpr, Model, Var } from '../solver/model.ts';

/**
 * A placement objective: one object carrying everything each layer needs of it, so adding
 * one is a file in src/objective/ and a line in registry.ts (the interface makes a missing
 * part a compile error). The parts are written over plain inputs, not over the layers that
 * use them, so the ILP builder (placement/), the cheap bounds (bounds/), the verifier and
 * the exhaustive oracle (check/) all reach the same object from below.
 */
export interface PlacementObjective {
  /** The name plan files and `--objective` use. */
  readonly name: string;
  readonly description: string;
  /** Whether the objective depends on the quantile q (recorded in plans only then). */
  readonly usesQuantile: boolean;

  /** Rejects a workload the objective cannot score (e.g. tardiness without any deadline). */
  check(input: ObjectiveInput, where: string): void;
  /** The schedule's value of this objective, from the verifier's independent scoring. */
  valueOf(values: ObjectiveValues): number;

  /** Floors valid for every exact-mode schedule (bounds/cheap.ts supplies the ingredients). */
  cheapBounds(input: CheapBoundInput, quantile: number): CheapBound[];

  /** ILP: which workflows a model must schedule (see placement/objectives.ts). */
  activity(input: ObjectiveInput, quantile: number): Activity[];
  /** ILP: latest finish an active workflow w can have in SOME optimal schedule, given an upper bound `ub`. */
  horizonS(input: ObjectiveInput, w: number, ub: number, totalMinScale: number): number;
  /** ILP: the least value any schedule can have from each workflow's least scale (the objective column's lb). */
  minimum(input: ObjectiveInput, quantile: number): number;
  /** ILP: the objective's columns, the rows tying them to the sinks' ends, and the objective row. */
  addTerms(model: Model, input: ObjectiveInput, quantile: number, terms: ObjectiveTerms): ObjectiveColumns;

  /** Oracle: pruning rules for max-type objectives, or null when the objective is not max-type. */
  maxType(workflows: number, quantile: number): MaxTypeScoring | null;
}

/** What an objective knows of the workflows. */
export interface ObjectiveInput {
  workflows: readonly Workflow[];
  standaloneS: ArrayLike<number>;
  /** Per workflow, the least scale any exact-mode schedule reaches (fastest critical path / s_w). */
  minScale: ArrayLike<number>;
  /** Per workflow, the global numbers of its calls without children. */
  sinks: ReadonlyArray<readonly number[]>;
}

/** A lower bound on an objective's optimum and the argument that gave it. */
export interface CheapBound {
  value: number;
  /** Which argument gave it: `critical-path`, `prefill-capacity`, `kv-capacity`, … */
  source: string;
}

export interface CheapBoundInput {
  workflows: readonly Workflow[];
  standaloneS: ArrayLike<number>;
  /** Per workflow, the exact-mode critical path P_w (a floor on its latency). */
  pathS: ArrayLike<number>;
  /** Capacity bounds per resource (bounds/capacity.ts), for the objectives they apply to. */
  quantileCapacity(quantile: number): CheapBound[];
  makespanCapacity(): CheapBound[];
}

/** Per workflow: always scheduled, never limiting, or chosen by the model's met_w binary. */
export type Activity = 'always' | 'never' | 'chosen';

export interface ObjectiveTerms {
  /** The decode end of call g as a linear expression of the model's columns. */
  endOf(g: number): LinearExpr;
  horizonS: Float64Array;
  ub: number;
  /** Per workflow: null when always active, else its activity column. */
  active: Array<Var | null>;
  /** endOf(g) is 0 when the call is not scheduled (time-indexed): met rows need no big-M. */
  homogeneous: boolean;
}

/** The objective's columns in a model, and how to fill them from a schedule's finish times. */
export interface ObjectiveColumns {
  fillStart(values: Float64Array, finishS: ArrayLike<number>, objectiveValue: number): void;
}

export interface MaxTypeScoring {
  /** Latest finish of a workflow (arrival, standalone) that still beats objective value `best`. */
  dueS(arrivalS: number, standaloneS: number, best: number): number;
  /** A floor on the objective when some workflow w with candidate[w] = 1 ends at or after finishS. */
  floorIfSomeEndsAfter(
    finishS: number,
    candidate: Uint8Array,
    workflows: readonly Workflow[],
    standaloneS: ArrayLike<number>,
  ): number;
}

/** A column bound a little above ub: the float noise of the schedule that produced ub must stay feasible. */
export function looseUpper(ub: number): number {
  return ub + 1e-6 * Math.max(1, Math.abs(ub));
}
