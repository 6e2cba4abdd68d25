/**
 * javascript-lp-solver (pure JavaScript, dense tableau simplex + branch and bound). Useful as a
 * dependency-free cross-check on small models; it is not a solver to trust blindly.
 *
 * What it can prove, and therefore what may be claimed:
 * - It returns no dual bound and no termination reason, only `feasible`, `bounded` and
 *   `isIntegral` flags. Its `timeout` is checked only between branch-and-bound nodes (the LP
 *   simplex runs to the end), and on a timeout it returns the best node's point as if done.
 * - So a MIP answer is "optimal" only when the search provably ran to exhaustion: tolerance 0
 *   (mipRelGap is not passed on) and the call returned clearly before its timeout. Otherwise
 *   it is a time limit with the incumbent and no bound.
 * - No integral point after an exhausted search means infeasible; `feasible: true` without
 *   `isIntegral` is the last fractional node, not a solution.
 * - An LP answer is "optimal" on its simplex's own optimality test; finalize.ts still verifies
 *   the point, so an infeasible point can never come back as a solution.
 * - Rows with no terms are invisible to it, so they are checked here.
 * - Its simplex can cycle forever inside one branch-and-bound node (seen on a 26-column market
 *   split MIP), so with a time limit it always runs in a watched worker (adapter.ts).
 */
import jslpModule from 'javascript-lp-solver';
import { isMipPacked, KIND_CONTINUOUS, type PackedModel, packedObjective } from './packed.ts';
import type { RawAnswer, RawRunner, RunnerEntry } from './raw.ts';

interface JslpBound {
  min?: number;
  max?: number;
  equal?: number;
}
interface JslpModel {
  optimize: string;
  opType: 'min' | 'max';
  constraints: Record<string, JslpBound>;
  variables: Record<string, Record<string, number>>;
  ints: Record<string, 1>;
  unrestricted: Record<string, 1>;
  options: { timeout?: number; tolerance: number };
}

// The package's types are CommonJS while Node may load its ESM build: accept either shape.
type JslpSolver = { Solve(model: unknown): unknown };
const solver = ((jslpModule as unknown as { default?: JslpSolver }).default ??
  jslpModule) as unknown as JslpSolver;

const OBJ = '__objective';
/** A MIP call that returns later than this fraction of its timeout may have been cut short. */
const TIMEOUT_MARGIN = 0.9;

const runJslp: RawRunner = async (packed, options) =>
  runJslpSync(
    packed,
    options.deadlineMs === undefined ? undefined : Math.max(1, options.deadlineMs - Date.now()),
  );

function runJslpSync(p: PackedModel, timeoutMs: number | undefined): RawAnswer {
  for (let i = 0; i < p.numRows; i++) {
    if (p.rowStart[i] === p.rowStart[i + 1] && (p.rowLower[i]! > 1e-9 || p.rowUpper[i]! < -1e-9)) {
      return answer('infeasible', `row ${p.rowNames[i]} has no terms and excludes 0`);
    }
  }
  const isMip = isMipPacked(p);
  const model = translate(p, timeoutMs);
  const t0 = Date.now();
  const r = solver.Solve(model) as Record<string, number | boolean | undefined>;
  const elapsedMs = Date.now() - t0;
  const mayHaveTimedOut = isMip && timeoutMs !== undefined && elapsedMs >= TIMEOUT_MARGIN * timeoutMs;

  if (r.bounded === false) return answer('unbounded', 'jslp: unbounded');
  const values = new Float64Array(p.numCols);
  for (let j = 0; j < p.numCols; j++) {
    const v = r[`x${j}`];
    values[j] = typeof v === 'number' ? v : 0;
  }
  const objective = packedObjective(p, values);
  if (!isMip) {
    if (r.feasible !== true) return answer('infeasible', 'jslp: infeasible');
    return { status: 'optimal', objective, bound: objective, values };
  }
  const integral = r.feasible === true && r.isIntegral === true;
  if (mayHaveTimedOut) {
    return {
      status: 'time_limit',
      objective: integral ? objective : null,
      bound: null,
      values: integral ? values : null,
      message: `jslp stopped at its ${(timeoutMs! / 1000).toFixed(1)} s timeout; it gives no bound`,
    };
  }
  if (!integral) return answer('infeasible', 'jslp: search exhausted without an integral point');
  return {
    status: 'optimal',
    objective,
    bound: objective,
    values,
    message: 'jslp: search exhausted (no gap tolerance)',
  };
}

function translate(p: PackedModel, timeoutMs: number | undefined): JslpModel {
  const constraints: Record<string, JslpBound> = {};
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  const unrestricted: Record<string, 1> = {};
  for (let j = 0; j < p.numCols; j++) {
    const id = `x${j}`;
    const coefs: Record<string, number> = {};
    if (p.colCost[j] !== 0) coefs[OBJ] = p.colCost[j]!;
    const lb = p.colLower[j]!;
    const ub = p.colUpper[j]!;
    // jslp's variables are ≥ 0 unless unrestricted; other bounds become one-term rows.
    if (lb !== 0) unrestricted[id] = 1;
    if (lb === ub) {
      constraints[`f${j}`] = { equal: lb };
      coefs[`f${j}`] = 1;
    } else {
      if (lb !== 0 && Number.isFinite(lb)) {
        constraints[`l${j}`] = { min: lb };
        coefs[`l${j}`] = 1;
      }
      if (Number.isFinite(ub)) {
        constraints[`u${j}`] = { max: ub };
        coefs[`u${j}`] = 1;
      }
    }
    if (p.colKind[j] !== KIND_CONTINUOUS) ints[id] = 1;
    variables[id] = coefs;
  }
  for (let i = 0; i < p.numRows; i++) {
    const lo = p.rowLower[i]!;
    const hi = p.rowUpper[i]!;
    if (p.rowStart[i] === p.rowStart[i + 1] || (!Number.isFinite(lo) && !Number.isFinite(hi))) continue;
    const name = `r${i}`;
    constraints[name] =
      lo === hi
        ? { equal: lo }
        : { ...(Number.isFinite(lo) ? { min: lo } : {}), ...(Number.isFinite(hi) ? { max: hi } : {}) };
    for (let k = p.rowStart[i]!; k < p.rowStart[i + 1]!; k++) {
      variables[`x${p.colIndex[k]}`]![name] = p.value[k]!;
    }
  }
  return {
    optimize: OBJ,
    opType: p.sense === -1 ? 'max' : 'min',
    constraints,
    variables,
    ints,
    unrestricted,
    options: {
      tolerance: 0,
      ...(timeoutMs !== undefined ? { timeout: Math.max(1, Math.floor(timeoutMs)) } : {}),
    },
  };
}

function answer(status: RawAnswer['status'], message: string): RawAnswer {
  return { status, objective: null, bound: null, values: null, message };
}

// jslp checks its timeout only between branch-and-bound nodes: only the watchdog can stop it.
export const jslpRunner: RunnerEntry = { name: 'jslp', run: runJslp, interruptible: false };
