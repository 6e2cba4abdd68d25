/**
 * GLPK through glpk.js (WebAssembly). glpk.js is GPL-3.0 and an optionalDependency: it is
 * loaded only here, only with a dynamic import, so hexplan itself stays MIT and runs without it.
 *
 * Traps handled here:
 * - With presolve off, glp_intopt needs an optimal LP basis first and otherwise returns a zero
 *   objective with status UNDEF; presolve is always on.
 * - With presolve on, an infeasible or unbounded model also ends UNDEF (the presolver stops
 *   before a status is set): it is resolved by re-solving the LP without presolve, then the
 *   zero-objective model.
 * - glpk.js reports no MIP bound. A proven optimum (GLP_OPT) is within mip_gap of the best
 *   bound by GLPK's own stopping rule, so the bound is derived from it; a time limit has none.
 * - Node must load `glpk.js/node` (the package root is a browser build that needs Web Workers).
 */
import { HexplanError } from '../../errors.ts';
import {
  feasibilityVersion,
  isMipPacked,
  KIND_CONTINUOUS,
  type PackedModel,
  packedObjective,
} from './packed.ts';
import type { RawAnswer, RawRunner, RunnerEntry, RunOptions } from './raw.ts';

interface GlpkBounds {
  type: number;
  lb: number;
  ub: number;
}
interface GlpkLp {
  name: string;
  objective: { direction: number; name: string; vars: Array<{ name: string; coef: number }> };
  subjectTo: Array<{ name: string; vars: Array<{ name: string; coef: number }>; bnds: GlpkBounds }>;
  bounds: Array<{ name: string } & GlpkBounds>;
  generals: string[];
}
interface GlpkResult {
  time: number;
  result: { status: number; z: number; vars: Record<string, number> };
}
interface Glpk {
  GLP_MIN: number;
  GLP_MAX: number;
  GLP_FR: number;
  GLP_LO: number;
  GLP_UP: number;
  GLP_DB: number;
  GLP_FX: number;
  GLP_MSG_OFF: number;
  GLP_UNDEF: number;
  GLP_FEAS: number;
  GLP_INFEAS: number;
  GLP_NOFEAS: number;
  GLP_OPT: number;
  GLP_UNBND: number;
  solve(
    lp: GlpkLp,
    options: { msglev: number; presol: boolean; tmlim?: number; mipgap?: number },
  ): GlpkResult;
}

export const GLPK_MISSING = 'glpk backend needs the optional package glpk.js: npm install glpk.js';

let runtime: Promise<Glpk> | null = null;

async function loadGlpk(): Promise<Glpk> {
  runtime ??= (async () => {
    // A variable specifier keeps the type checker (and bundlers) from requiring the package.
    const specifier = 'glpk.js/node';
    let mod: { default: () => Promise<Glpk> };
    try {
      mod = await import(specifier);
    } catch (e) {
      runtime = null;
      const code = (e as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
        throw new HexplanError(GLPK_MISSING);
      throw e;
    }
    return mod.default();
  })();
  return runtime;
}

const runGlpk: RawRunner = async (packed, options) => {
  const glpk = await loadGlpk();
  const startedMs = Date.now();
  const isMip = isMipPacked(packed);
  const first = solve(glpk, packed, options, true);
  const s = first.result.status;
  const late = () => options.deadlineMs !== undefined && Date.now() >= options.deadlineMs - 50;
  const values = () => readValues(packed, first);

  if (s === glpk.GLP_OPT) {
    const x = values();
    const objective = packedObjective(packed, x);
    const gap = isMip ? (options.mipRelGap ?? 0) : 0;
    const slack = gap * (Math.abs(objective) + Number.EPSILON);
    return { status: 'optimal', objective, bound: objective - packed.sense * slack, values: x };
  }
  if (s === glpk.GLP_FEAS) {
    const x = values();
    return {
      status: 'time_limit',
      objective: packedObjective(packed, x),
      bound: null,
      values: x,
      message: `GLPK stopped with a feasible point after ${((Date.now() - startedMs) / 1000).toFixed(1)} s (no bound)`,
    };
  }
  if (s === glpk.GLP_NOFEAS) return answer('infeasible', 'GLPK: no feasible solution');
  if (s === glpk.GLP_UNBND) return answer('unbounded', 'GLPK: unbounded');
  if (late()) return answer('time_limit', 'GLPK reached the time limit without a feasible point');
  return resolveUndefined(glpk, packed, options);
};

/** UNDEF after presolve: decide infeasible vs unbounded from the LP without presolve. */
function resolveUndefined(glpk: Glpk, packed: PackedModel, options: RunOptions): RawAnswer {
  const lp = { ...packed, colKind: new Uint8Array(packed.numCols) };
  const relaxed = solve(glpk, lp, options, false).result.status;
  if (relaxed === glpk.GLP_NOFEAS) return answer('infeasible', 'GLPK: LP relaxation infeasible');
  if (relaxed === glpk.GLP_UNBND) {
    if (!isMipPacked(packed)) return answer('unbounded', 'GLPK: unbounded');
    const feasible = solve(glpk, feasibilityVersion(packed), options, true).result.status;
    if (feasible === glpk.GLP_OPT)
      return answer('unbounded', 'GLPK: unbounded (feasible, relaxation unbounded)');
    if (feasible === glpk.GLP_NOFEAS || feasible === glpk.GLP_UNDEF)
      return answer('infeasible', 'GLPK: infeasible');
  }
  return answer('error', `GLPK ended with an undefined solution (LP relaxation status ${relaxed})`);
}

function solve(glpk: Glpk, p: PackedModel, options: RunOptions, presol: boolean): GlpkResult {
  const col = (j: number) => `x${j}`;
  const kind = (lb: number, ub: number): GlpkBounds => {
    const lo = Number.isFinite(lb);
    const hi = Number.isFinite(ub);
    if (lo && hi) return { type: lb === ub ? glpk.GLP_FX : glpk.GLP_DB, lb, ub };
    if (lo) return { type: glpk.GLP_LO, lb, ub: 0 };
    if (hi) return { type: glpk.GLP_UP, lb: 0, ub };
    return { type: glpk.GLP_FR, lb: 0, ub: 0 };
  };
  const lp: GlpkLp = {
    name: 'hexplan',
    // Every column is listed in the objective (coefficient 0 if need be) so none is dropped.
    objective: {
      direction: p.sense === -1 ? glpk.GLP_MAX : glpk.GLP_MIN,
      name: 'obj',
      vars: Array.from({ length: p.numCols }, (_, j) => ({ name: col(j), coef: p.colCost[j]! })),
    },
    subjectTo: Array.from({ length: p.numRows }, (_, i) => {
      const vars: Array<{ name: string; coef: number }> = [];
      for (let k = p.rowStart[i]!; k < p.rowStart[i + 1]!; k++)
        vars.push({ name: col(p.colIndex[k]!), coef: p.value[k]! });
      return { name: `r${i}`, vars, bnds: kind(p.rowLower[i]!, p.rowUpper[i]!) };
    }),
    bounds: Array.from({ length: p.numCols }, (_, j) => ({
      name: col(j),
      ...kind(p.colLower[j]!, p.colUpper[j]!),
    })),
    generals: [],
  };
  for (let j = 0; j < p.numCols; j++) if (p.colKind[j] !== KIND_CONTINUOUS) lp.generals.push(col(j));
  const opts: { msglev: number; presol: boolean; tmlim?: number; mipgap?: number } = {
    msglev: glpk.GLP_MSG_OFF,
    presol,
  };
  if (options.deadlineMs !== undefined) opts.tmlim = Math.max(0.01, (options.deadlineMs - Date.now()) / 1000);
  if (options.mipRelGap !== undefined) opts.mipgap = options.mipRelGap;
  return glpk.solve(lp, opts);
}

function readValues(p: PackedModel, r: GlpkResult): Float64Array {
  const x = new Float64Array(p.numCols);
  for (let j = 0; j < p.numCols; j++) x[j] = r.result.vars[`x${j}`] ?? Number.NaN;
  return x;
}

function answer(status: RawAnswer['status'], message: string): RawAnswer {
  return { status, objective: null, bound: null, values: null, message };
}

// GLPK honours its own tm_lim in simplex and branch and bound.
export const glpkRunner: RunnerEntry = { name: 'glpk', run: runGlpk, interruptible: true };
