/**
 * The modeling layer: a linear (mixed-integer) model as plain data. It knows nothing of any
 * solver (JuMP/MathOptInterface's separation): backends in `backends/` translate it, and the
 * LP/MPS writers in `export/` print it. Everything is arrays of numbers so a model can be
 * posted to a worker thread without conversion.
 */

export type VarType = 'continuous' | 'integer' | 'binary';
export type Sense = '<=' | '>=' | '=';
export type ObjectiveSense = 'min' | 'max';

/** A handle on a model variable; `index` is its column. */
export interface Var {
  readonly index: number;
}

export interface VariableDef {
  name: string;
  type: VarType;
  lb: number;
  ub: number;
}

/** Σ coef·var + constant, kept as parallel arrays (duplicates are merged when a model is finalized). */
export class LinearExpr {
  readonly vars: number[] = [];
  readonly coefs: number[] = [];
  constant = 0;

  static of(...terms: Array<[number, Var]>): LinearExpr {
    const e = new LinearExpr();
    for (const [c, v] of terms) e.add(c, v);
    return e;
  }

  static constant(c: number): LinearExpr {
    return new LinearExpr().addConstant(c);
  }

  add(coef: number, v: Var): this {
    if (coef !== 0) {
      this.vars.push(v.index);
      this.coefs.push(coef);
    }
    return this;
  }

  addExpr(other: LinearExpr, scale = 1): this {
    for (let k = 0; k < other.vars.length; k++) {
      this.vars.push(other.vars[k]!);
      this.coefs.push(other.coefs[k]! * scale);
    }
    this.constant += other.constant * scale;
    return this;
  }

  addConstant(c: number): this {
    this.constant += c;
    return this;
  }

  /** Value at a point (values indexed by column). */
  evaluate(values: ArrayLike<number>): number {
    let s = this.constant;
    for (let k = 0; k < this.vars.length; k++) s += this.coefs[k]! * values[this.vars[k]!]!;
    return s;
  }
}

/** A row: Σ coefs·vars (sense) rhs, with any expression constant already moved to the rhs. */
export interface Constraint {
  name: string;
  vars: number[];
  coefs: number[];
  sense: Sense;
  rhs: number;
}

export interface Objective {
  sense: ObjectiveSense;
  vars: number[];
  coefs: number[];
  constant: number;
}

export class Model {
  readonly variables: VariableDef[] = [];
  readonly constraints: Constraint[] = [];
  objective: Objective = { sense: 'min', vars: [], coefs: [], constant: 0 };
  private readonly names = new Set<string>();

  constructor(readonly name = 'hexplan') {}

  addVar(def: { name: string; type?: VarType; lb?: number; ub?: number }): Var {
    const type = def.type ?? 'continuous';
    const lb = def.lb ?? 0;
    const ub = def.ub ?? (type === 'binary' ? 1 : Number.POSITIVE_INFINITY);
    if (type === 'binary' && (lb < 0 || ub > 1))
      throw new Error(`binary ${def.name} with bounds [${lb}, ${ub}]`);
    if (lb > ub) throw new Error(`variable ${def.name}: lower bound ${lb} above upper bound ${ub}`);
    this.claimName(def.name);
    this.variables.push({ name: def.name, type, lb, ub });
    return { index: this.variables.length - 1 };
  }

  /** Adds `expr sense rhs`; the expression's constant moves to the right-hand side. */
  addConstraint(name: string, expr: LinearExpr, sense: Sense, rhs = 0): void {
    this.claimName(name);
    const { vars, coefs } = merge(expr.vars, expr.coefs);
    this.constraints.push({ name, vars, coefs, sense, rhs: rhs - expr.constant });
  }

  setObjective(sense: ObjectiveSense, expr: LinearExpr): void {
    const { vars, coefs } = merge(expr.vars, expr.coefs);
    this.objective = { sense, vars, coefs, constant: expr.constant };
  }

  get isMip(): boolean {
    return this.variables.some((v) => v.type !== 'continuous');
  }

  /** The LP relaxation: same rows, every integer and binary variable made continuous. */
  relaxed(): Model {
    const m = new Model(`${this.name}_lp`);
    for (const v of this.variables) m.addVar({ ...v, type: 'continuous' });
    for (const c of this.constraints) m.constraints.push({ ...c });
    m.objective = { ...this.objective };
    return m;
  }

  objectiveValue(values: ArrayLike<number>): number {
    let s = this.objective.constant;
    const o = this.objective;
    for (let k = 0; k < o.vars.length; k++) s += o.coefs[k]! * values[o.vars[k]!]!;
    return s;
  }

  /**
   * Every violated bound, integrality or row at a point, with tolerances scaled by magnitude.
   * Backends run this on each answer: a solver's word is never trusted unchecked.
   */
  violations(values: ArrayLike<number>, tol = 1e-6, limit = 20): string[] {
    const out: string[] = [];
    if (values.length !== this.variables.length) {
      return [`solution has ${values.length} values for ${this.variables.length} variables`];
    }
    for (let j = 0; j < this.variables.length && out.length < limit; j++) {
      const v = this.variables[j]!;
      const x = values[j]!;
      const t = tol * Math.max(1, Math.abs(x));
      if (!Number.isFinite(x)) out.push(`${v.name} = ${x}`);
      else if (x < v.lb - t || x > v.ub + t) out.push(`${v.name} = ${x} outside [${v.lb}, ${v.ub}]`);
      else if (v.type !== 'continuous' && Math.abs(x - Math.round(x)) > Math.max(tol, 1e-5)) {
        out.push(`${v.name} = ${x} is not integral`);
      }
    }
    for (const c of this.constraints) {
      if (out.length >= limit) break;
      let lhs = 0;
      let scale = Math.abs(c.rhs);
      for (let k = 0; k < c.vars.length; k++) {
        const term = c.coefs[k]! * values[c.vars[k]!]!;
        lhs += term;
        scale = Math.max(scale, Math.abs(term));
      }
      const t = tol * Math.max(1, scale);
      // NaN compares false both ways, so a non-finite activity is a violation by itself.
      const bad =
        !Number.isFinite(lhs) ||
        (c.sense === '<=' ? lhs > c.rhs + t : c.sense === '>=' ? lhs < c.rhs - t : Math.abs(lhs - c.rhs) > t);
      if (bad) out.push(`row ${c.name}: ${lhs} ${c.sense} ${c.rhs} violated`);
    }
    return out;
  }

  private claimName(name: string): void {
    if (this.names.has(name)) throw new Error(`duplicate name in model: ${name}`);
    this.names.add(name);
  }
}

/** Sums coefficients of repeated variables and drops zeros, keeping first-appearance order. */
function merge(vars: number[], coefs: number[]): { vars: number[]; coefs: number[] } {
  const at = new Map<number, number>();
  const outVars: number[] = [];
  const outCoefs: number[] = [];
  for (let k = 0; k < vars.length; k++) {
    const v = vars[k]!;
    const i = at.get(v);
    if (i === undefined) {
      at.set(v, outVars.length);
      outVars.push(v);
      outCoefs.push(coefs[k]!);
    } else outCoefs[i]! += coefs[k]!;
  }
  const keepVars: number[] = [];
  const keepCoefs: number[] = [];
  for (let k = 0; k < outVars.length; k++) {
    if (outCoefs[k] !== 0) {
      keepVars.push(outVars[k]!);
      keepCoefs.push(outCoefs[k]!);
    }
  }
  return { vars: keepVars, coefs: keepCoefs };
}
