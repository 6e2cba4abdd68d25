import type { Workload } from '../schema/workload.ts';
import { requiredScale } from './quantile.ts';

/** Every objective of a schedule, computed from workflow finish times alone. */
export interface ObjectiveValues {
  /** ⌈q·W⌉-th smallest scale. */
  requiredScale: number;
  /** Latest workflow finish, seconds since time 0 (the workload's clock). */
  makespanS: number;
  meanScale: number;
  /** Σ_w max(0, finish_w − arrival_w − deadline_w); workflows without a deadline count 0. */
  weightedTardinessS: number;
}

/**
 * Scores finish times; written apart from the ILP's objective rows on purpose (the verifier
 * must not share the solver's logic). Tardiness weight is 1 per workflow: the workload
 * format has no weight field, and a deadline is relative to the workflow's arrival.
 */
export function objectiveValues(
  workload: Workload,
  standaloneS: ArrayLike<number>,
  finishS: ArrayLike<number>,
  quantile: number,
): { values: ObjectiveValues; scales: Float64Array } {
  const W = workload.workflows.length;
  const scales = new Float64Array(W);
  let makespanS = 0;
  let sum = 0;
  let tardiness = 0;
  workload.workflows.forEach((wf, w) => {
    const f = finishS[w]!;
    scales[w] = (f - wf.arrival_s) / standaloneS[w]!;
    sum += scales[w]!;
    if (f > makespanS) makespanS = f;
    if (wf.deadline_s !== undefined) tardiness += Math.max(0, f - wf.arrival_s - wf.deadline_s);
  });
  return {
    values: {
      requiredScale: requiredScale(scales, quantile),
      makespanS,
      meanScale: sum / W,
      weightedTardinessS: tardiness,
    },
    scales,
  };
}
