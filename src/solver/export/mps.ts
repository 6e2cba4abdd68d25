/**
 * MPS writer, free or fixed format, readable by CPLEX, CBC, glpsol (--mps / --freemps) and
 * HiGHS. Choices that keep every reader on the same model:
 * - OBJSENSE MAX is written for a maximization (read by CPLEX, CBC, HiGHS; glpsol needs `--max`).
 * - The objective constant is a column OBJCONST/obj_const fixed at 1 (FX bound), not an RHS on
 *   the objective row, whose sign convention differs between readers.
 * - Integer columns sit between INTORG/INTEND markers with explicit bounds (PL when unbounded:
 *   some readers give a marked integer column an upper bound of 1 otherwise), and a negative
 *   upper bound always comes with an explicit lower bound (some readers drop the default 0).
 * - Fixed format: names are generated (8 characters: C…/R…), numbers fit 12 characters, so
 *   coefficients keep at most 12 significant characters; prefer free MPS or LP for exact data.
 */
import type { Model } from '../model.ts';
import { num } from './lp.ts';
import { type ExportNames, exportNames, OBJECTIVE_ROW, sanitizeName } from './names.ts';

export type MpsFormat = 'free' | 'fixed';

export interface MpsWriteOptions {
  format?: MpsFormat;
  relax?: boolean;
}

export function writeMps(model: Model, options: MpsWriteOptions = {}): string {
  return writeMpsWithNames(model, options).text;
}

export function writeMpsWithNames(
  model: Model,
  options: MpsWriteOptions = {},
): { text: string; names: ExportNames } {
  const fixed = options.format === 'fixed';
  const names = exportNames(model, fixed ? 'fixed' : 'long');
  const objRow = fixed ? 'OBJ' : OBJECTIVE_ROW;
  const fmt = fixed ? fixedNumber : num;
  const line = fixed ? fixedLine : freeLine;
  const title = sanitizeName(model.name);
  const out: string[] = [`NAME          ${fixed ? title.slice(0, 8) : title}`];
  if (model.objective.sense === 'max') out.push('OBJSENSE', '    MAX');

  out.push('ROWS', line('N', objRow));
  model.constraints.forEach((c, i) => {
    out.push(line(c.sense === '<=' ? 'L' : c.sense === '>=' ? 'G' : 'E', names.rows[i]!));
  });

  // Column-major entries: objective first, then rows in order.
  const entries: Array<Array<[string, number]>> = model.variables.map(() => []);
  const o = model.objective;
  o.vars.forEach((v, k) => {
    entries[v]!.push([objRow, o.coefs[k]!]);
  });
  model.constraints.forEach((c, i) => {
    c.vars.forEach((v, k) => {
      entries[v]!.push([names.rows[i]!, c.coefs[k]!]);
    });
  });

  out.push('COLUMNS');
  let inInt = false;
  model.variables.forEach((v, j) => {
    const isInt = v.type !== 'continuous' && !options.relax;
    if (isInt !== inInt) {
      out.push(line('', 'MARKER', "'MARKER'", '', isInt ? "'INTORG'" : "'INTEND'"));
      inInt = isInt;
    }
    const list = entries[j]!.length > 0 ? entries[j]! : [[objRow, 0] as [string, number]];
    for (let k = 0; k < list.length; k += 2) {
      const a = list[k]!;
      const b = list[k + 1];
      out.push(line('', names.cols[j]!, a[0], fmt(a[1]), b?.[0] ?? '', b ? fmt(b[1]) : ''));
    }
  });
  if (inInt) out.push(line('', 'MARKER', "'MARKER'", '', "'INTEND'"));
  if (names.constantCol) out.push(line('', names.constantCol, objRow, fmt(o.constant)));

  out.push('RHS');
  model.constraints.forEach((c, i) => {
    if (c.rhs !== 0) out.push(line('', 'RHS', names.rows[i]!, fmt(c.rhs)));
  });

  out.push('BOUNDS');
  model.variables.forEach((v, j) => {
    const isInt = v.type !== 'continuous' && !options.relax;
    for (const [kind, value] of bounds(v.lb, v.ub, isInt)) {
      out.push(line(kind, 'BND', names.cols[j]!, value === null ? '' : fmt(value)));
    }
  });
  if (names.constantCol) out.push(line('FX', 'BND', names.constantCol, fmt(1)));
  out.push('ENDATA', '');
  return { text: out.join('\n'), names };
}

function bounds(lb: number, ub: number, integer: boolean): Array<[string, number | null]> {
  const lo = Number.isFinite(lb);
  const hi = Number.isFinite(ub);
  if (lo && hi && lb === ub) return [['FX', lb]];
  if (!lo && !hi) return [['FR', null]];
  const out: Array<[string, number | null]> = [];
  if (!lo) out.push(['MI', null]);
  else if (lb !== 0 || (hi && ub < 0)) out.push(['LO', lb]);
  if (hi) out.push(['UP', ub]);
  else if (integer) out.push(['PL', null]);
  return out;
}

function freeLine(...fields: string[]): string {
  const [f1 = '', ...rest] = fields;
  return ` ${f1.padEnd(2)} ${rest.filter((f) => f !== '').join('  ')}`.replace(/\s+$/, '');
}

/** Fixed MPS fields: columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61. */
function fixedLine(f1 = '', f2 = '', f3 = '', f4 = '', f5 = '', f6 = ''): string {
  for (const [f, w] of [
    [f2, 8],
    [f3, 8],
    [f5, 8],
  ] as const) {
    if (f.length > w) throw new Error(`fixed MPS field "${f}" longer than ${w} characters`);
  }
  const s = ` ${f1.padEnd(2)} ${f2.padEnd(8)}  ${f3.padEnd(8)}  ${f4.padStart(12)}   ${f5.padEnd(8)}  ${f6.padStart(12)}`;
  return s.replace(/\s+$/, '');
}

/** The shortest rendering of x in at most 12 characters (fixed MPS number fields). */
function fixedNumber(x: number): string {
  const plain = num(x);
  if (plain.length <= 12) return plain;
  for (let p = 12; p >= 1; p--) {
    const s = x
      .toPrecision(p)
      .replace(/\.?0+e/, 'e')
      .replace(/(\.\d*?)0+$/, '$1')
      .replace(/\.$/, '');
    if (s.length <= 12) return s;
  }
  throw new Error(`cannot write ${x} in 12 characters`);
}
