/**
 * CPLEX LP writer, in the subset that CPLEX, CBC, glpsol (--lp) and HiGHS all read:
 * one `Minimize`/`Maximize` section, `Subject To` with one sense per row, `Bounds` written
 * two-sided or `free`, integer columns in `Generals` (binaries too, with explicit 0..1 bounds,
 * so a fixed binary stays fixed), lines kept short.
 *
 * The objective constant is not written as a bare number (older readers reject it) but as
 * `c obj_const` with `obj_const` fixed at 1, so the file's optimum equals the model's objective
 * including its constant.
 */
import type { Model } from '../model.ts';
import { CONSTANT_COLUMN, type ExportNames, exportNames, OBJECTIVE_ROW } from './names.ts';

export interface LpWriteOptions {
  /** Write the LP relaxation (no Generals section). */
  relax?: boolean;
}

const LINE = 100;

export function writeLp(model: Model, options: LpWriteOptions = {}): string {
  return writeLpWithNames(model, options).text;
}

/** The LP text and the names used for columns and rows (for reading solutions back). */
export function writeLpWithNames(
  model: Model,
  options: LpWriteOptions = {},
): { text: string; names: ExportNames } {
  const names = exportNames(model, 'long');
  const out: string[] = [
    `\\ ${model.name}: ${model.variables.length} columns, ${model.constraints.length} rows`,
  ];
  const o = model.objective;
  out.push(o.sense === 'max' ? 'Maximize' : 'Minimize');
  const objTerms = o.vars.map((v, k) => term(o.coefs[k]!, names.cols[v]!));
  if (names.constantCol) objTerms.push(term(o.constant, names.constantCol));
  if (objTerms.length === 0) objTerms.push(term(0, names.cols[0]!));
  wrap(out, ` ${OBJECTIVE_ROW}:`, objTerms, '');

  out.push('Subject To');
  model.constraints.forEach((c, i) => {
    const terms = c.vars.map((v, k) => term(c.coefs[k]!, names.cols[v]!));
    // A row without terms still has to be written (it may make the model infeasible).
    if (terms.length === 0) terms.push(term(0, names.constantCol ?? names.cols[0] ?? CONSTANT_COLUMN));
    wrap(out, ` ${names.rows[i]}:`, terms, ` ${c.sense} ${num(c.rhs)}`);
  });

  out.push('Bounds');
  model.variables.forEach((v, j) => {
    const line = boundLine(names.cols[j]!, v.lb, v.ub, v.type !== 'continuous' && !options.relax);
    if (line) out.push(` ${line}`);
  });
  if (names.constantCol) out.push(` ${names.constantCol} = 1`);

  if (!options.relax) {
    const ints = model.variables.flatMap((v, j) => (v.type === 'continuous' ? [] : [names.cols[j]!]));
    if (ints.length > 0) {
      out.push('Generals');
      wrap(out, ' ', ints, '');
    }
  }
  out.push('End', '');
  return { text: out.join('\n'), names };
}

function boundLine(name: string, lb: number, ub: number, integer: boolean): string | null {
  const lo = Number.isFinite(lb);
  const hi = Number.isFinite(ub);
  if (lo && hi && lb === ub) return `${name} = ${num(lb)}`;
  if (!lo && !hi) return `${name} free`;
  if (lo && hi) return `${num(lb)} <= ${name} <= ${num(ub)}`;
  if (!lo) return `-inf <= ${name} <= ${num(ub)}`;
  // LP's default is [0, +inf): write it anyway for integers, which some readers bound by 1.
  if (lb === 0 && !integer) return null;
  return `${name} >= ${num(lb)}`;
}

function term(coef: number, name: string): string {
  return `${coef < 0 || Object.is(coef, -0) ? '-' : '+'} ${num(Math.abs(coef))} ${name}`;
}

export function num(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a coefficient or right-hand side`);
  return Object.is(x, -0) ? '0' : String(x);
}

/** Appends `head term term … tail`, continuing on indented lines (any whitespace separates). */
function wrap(out: string[], head: string, items: string[], tail: string): void {
  let line = head;
  for (const it of items) {
    if (line.length + it.length + 1 > LINE && line.trim() !== '' && line !== head) {
      out.push(line);
      line = '   ';
    }
    line += line === '' || line.endsWith(' ') ? it : ` ${it}`;
  }
  out.push(line + tail);
}
