/**
 * A model packed into flat typed arrays (rows in CSR form): what every backend translates from,
 * and what is posted to a solver worker. Structured clone copies typed arrays cheaply, and
 * the packed form carries no class, so the worker needs no Model code to rebuild it.
 */
import type { Model } from '../model.ts';

/** Column kinds as small integers: 0 continuous, 1 integer, 2 binary. */
export const KIND_CONTINUOUS = 0;
export const KIND_INTEGER = 1;
export const KIND_BINARY = 2;

export interface PackedModel {
  name: string;
  numCols: number;
  numRows: number;
  /** 1 minimize, -1 maximize. */
  sense: 1 | -1;
  /** Objective constant, added by every backend to its objective and bound. */
  offset: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  /** 0 continuous, 1 integer, 2 binary (all 0 when relaxed). */
  colKind: Uint8Array;
  /** Row activity bounds: rowLower ≤ Σ a·x ≤ rowUpper, ±Infinity when open. */
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** CSR matrix: row i holds entries rowStart[i] .. rowStart[i+1]-1. */
  rowStart: Int32Array;
  colIndex: Int32Array;
  value: Float64Array;
  colNames: string[];
  rowNames: string[];
}

/** Packs a model; with `relax`, every integer and binary column becomes continuous. */
export function packModel(model: Model, relax = false): PackedModel {
  const n = model.variables.length;
  const m = model.constraints.length;
  const colCost = new Float64Array(n);
  const colLower = new Float64Array(n);
  const colUpper = new Float64Array(n);
  const colKind = new Uint8Array(n);
  model.variables.forEach((v, j) => {
    colLower[j] = v.lb;
    colUpper[j] = v.ub;
    if (!relax && v.type !== 'continuous') {
      colKind[j] = v.type === 'integer' ? KIND_INTEGER : KIND_BINARY;
      // Integer columns get integral bounds (same feasible set); GLPK rejects fractional ones.
      colLower[j] = Math.ceil(v.lb - 1e-9);
      colUpper[j] = Math.floor(v.ub + 1e-9);
    }
  });
  const o = model.objective;
  for (let k = 0; k < o.vars.length; k++) colCost[o.vars[k]!]! += o.coefs[k]!;

  let nnz = 0;
  for (const c of model.constraints) nnz += c.vars.length;
  const rowStart = new Int32Array(m + 1);
  const colIndex = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  let at = 0;
  model.constraints.forEach((c, i) => {
    rowStart[i] = at;
    for (let k = 0; k < c.vars.length; k++) {
      colIndex[at] = c.vars[k]!;
      value[at] = c.coefs[k]!;
      at++;
    }
    rowLower[i] = c.sense === '<=' ? Number.NEGATIVE_INFINITY : c.rhs;
    rowUpper[i] = c.sense === '>=' ? Number.POSITIVE_INFINITY : c.rhs;
  });
  rowStart[m] = at;
  return {
    name: model.name,
    numCols: n,
    numRows: m,
    sense: o.sense === 'max' ? -1 : 1,
    offset: o.constant,
    colCost,
    colLower,
    colUpper,
    colKind,
    rowLower,
    rowUpper,
    rowStart,
    colIndex,
    value,
    colNames: model.variables.map((v) => v.name),
    rowNames: model.constraints.map((c) => c.name),
  };
}

/** Non-finite data a solver would misread (NaN anywhere, infinite coefficients or right-hand sides). */
export function invalidData(p: PackedModel, limit = 5): string[] {
  const out: string[] = [];
  for (let j = 0; j < p.numCols && out.length < limit; j++) {
    if (!Number.isFinite(p.colCost[j]!))
      out.push(`objective coefficient of ${p.colNames[j]} is ${p.colCost[j]}`);
    if (
      Number.isNaN(p.colLower[j]!) ||
      Number.isNaN(p.colUpper[j]!) ||
      p.colLower[j] === Infinity ||
      p.colUpper[j] === -Infinity
    )
      out.push(`bounds of ${p.colNames[j]} are [${p.colLower[j]}, ${p.colUpper[j]}]`);
  }
  for (let i = 0; i < p.numRows && out.length < limit; i++) {
    for (let k = p.rowStart[i]!; k < p.rowStart[i + 1]!; k++) {
      if (!Number.isFinite(p.value[k]!)) {
        out.push(`row ${p.rowNames[i]}: coefficient of ${p.colNames[p.colIndex[k]!]} is ${p.value[k]}`);
        break;
      }
    }
    if (
      Number.isNaN(p.rowLower[i]!) ||
      Number.isNaN(p.rowUpper[i]!) ||
      p.rowLower[i] === Infinity ||
      p.rowUpper[i] === -Infinity
    )
      out.push(`row ${p.rowNames[i]}: right-hand side is not a number`);
  }
  if (!Number.isFinite(p.offset)) out.push(`objective constant is ${p.offset}`);
  return out;
}

export function isMipPacked(p: PackedModel): boolean {
  return p.colKind.some((k) => k !== KIND_CONTINUOUS);
}

export function nonzeros(p: PackedModel): number {
  return p.rowStart[p.numRows]!;
}

/**
 * The same constraints with a zero objective: solving it tells "infeasible" from "unbounded"
 * when a solver only says "infeasible or unbounded" (feasible here ⇒ the original is unbounded).
 */
export function feasibilityVersion(p: PackedModel): PackedModel {
  return { ...p, colCost: new Float64Array(p.numCols), offset: 0 };
}

/** Objective of a point in the packed model (constant included). */
export function packedObjective(p: PackedModel, x: ArrayLike<number>): number {
  let s = p.offset;
  for (let j = 0; j < p.numCols; j++) if (p.colCost[j] !== 0) s += p.colCost[j]! * x[j]!;
  return s;
}
