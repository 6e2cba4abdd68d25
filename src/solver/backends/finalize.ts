/**
 * The one place that decides what a solve may claim. A solver's word is never trusted
 * unchecked: its point is verified against the Model (bounds, integrality, rows), its
 * objective is recomputed from the point, and a claim the point does not support is
 * downgraded with a message saying why. Nothing leaves here as "optimal" unless the solver
 * proved it (runner status) and the point passed Model.violations.
 */
import type { Model } from '../model.ts';
import { relativeGap, type SolveResult } from '../result.ts';
import type { RawAnswer } from './raw.ts';

/** Relative tolerance for a solver's objective or bound to disagree with ours before we say so. */
const OBJECTIVE_TOL = 1e-6;

export function finalize(
  model: Model,
  raw: RawAnswer,
  solver: string,
  solveSeconds: number,
  start?: ArrayLike<number>,
): SolveResult {
  const notes: string[] = raw.message ? [raw.message] : [];
  let status = raw.status;
  let values = raw.values ? cleanIntegers(model, raw.values) : null;
  let bound = raw.bound;
  let fromStart = false;

  if (values) {
    const problems = model.violations(values);
    if (problems.length > 0) {
      notes.push(`the solver's point violates the model: ${problems.slice(0, 3).join('; ')}`);
      values = null;
      if (status === 'optimal') status = 'error';
    }
  }
  if (
    start &&
    status !== 'optimal' &&
    status !== 'unbounded' &&
    model.violations(start, 1e-6, 1).length === 0
  ) {
    // The caller's start is a verified feasible point: never report less than it.
    if (status === 'infeasible') {
      status = 'error';
      notes.push('solver reported infeasible, but the starting solution is feasible');
    } else if (!values || better(model, model.objectiveValue(start), model.objectiveValue(values))) {
      values = Float64Array.from(start);
      fromStart = true;
      notes.push('the starting solution is the best point known');
    }
  }
  if (status === 'optimal' && !values) {
    status = 'error';
    notes.push('solver claimed optimal without a verified point');
  }
  if (status === 'infeasible' || status === 'unbounded') {
    values = null;
    bound = null;
  }
  const objective = values ? model.objectiveValue(values) : null;

  if (objective !== null && raw.objective !== null && !fromStart && !close(objective, raw.objective)) {
    notes.push(`solver reported objective ${raw.objective}, recomputed ${objective} from its point`);
  }
  if (objective !== null && bound !== null) {
    // A dual bound on the wrong side of a verified point is not a bound: drop it.
    const wrongSide = model.objective.sense === 'min' ? bound > objective : bound < objective;
    if (wrongSide && !close(bound, objective)) {
      notes.push(
        `solver bound ${bound} is on the wrong side of the verified objective ${objective}; dropped`,
      );
      bound = null;
      if (status === 'optimal') status = 'time_limit';
    } else if (wrongSide) {
      bound = objective;
    }
  }
  const result: SolveResult = {
    status,
    objective,
    bound,
    gap: relativeGap(objective, bound),
    values,
    solveSeconds,
    solver,
  };
  if (
    raw.duals &&
    raw.duals.length === model.constraints.length &&
    status !== 'infeasible' &&
    status !== 'unbounded'
  )
    result.duals = raw.duals;
  if (notes.length > 0) result.message = notes.join('; ');
  return result;
}

/**
 * Integer columns within 1e-6 of an integer are snapped to it when the snapped point still
 * verifies, so binaries come back as exact 0/1 for the code that reads them.
 */
function cleanIntegers(model: Model, x: Float64Array): Float64Array {
  let changed = false;
  const y = Float64Array.from(x);
  model.variables.forEach((v, j) => {
    if (v.type === 'continuous') return;
    const r = Math.round(y[j]!);
    if (r !== y[j] && Math.abs(r - y[j]!) <= 1e-6) {
      y[j] = r;
      changed = true;
    }
  });
  if (!changed) return x;
  return model.violations(y, 1e-6, 1).length === 0 ? y : x;
}

function better(model: Model, a: number, b: number): boolean {
  return model.objective.sense === 'min' ? a < b : a > b;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= OBJECTIVE_TOL * Math.max(1, Math.abs(a), Math.abs(b));
}
