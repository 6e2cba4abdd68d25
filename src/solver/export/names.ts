/**
 * Names as the file formats allow them. CPLEX LP (CPLEX, CBC, glpsol, HiGHS) allows letters,
 * digits and a few symbols, not starting with a digit or a period, and reads `e1` as a number
 * and `free`, `inf` or `st` as keywords in some positions; fixed MPS allows 8 characters. So
 * every name is rewritten to [A-Za-z0-9_.], guarded against those readings, kept unique, and
 * fixed MPS gets short generated names. The mapping is returned, so a solution read back from
 * an external solver can be matched to the model's columns.
 */
import type { Model } from '../model.ts';

/** The row name of the objective in both formats, and the fixed column carrying its constant. */
export const OBJECTIVE_ROW = 'obj';
export const CONSTANT_COLUMN = 'obj_const';

export type NameStyle = 'long' | 'fixed';

export interface ExportNames {
  cols: string[];
  rows: string[];
  /** Name of the column fixed at 1 whose objective coefficient is the constant; null if unused. */
  constantCol: string | null;
}

const MAX_LONG = 255;
/** Words an LP reader may take as a keyword or a number where a name is expected. */
const RESERVED = new Set([
  'free',
  'inf',
  'infinity',
  'st',
  's.t.',
  'st.',
  'subject',
  'such',
  'to',
  'that',
  'bound',
  'bounds',
  'general',
  'generals',
  'gen',
  'integer',
  'integers',
  'binary',
  'binaries',
  'bin',
  'semi',
  'semis',
  'end',
  'min',
  'max',
  'minimize',
  'maximize',
  'minimum',
  'maximum',
]);

export function sanitizeName(raw: string): string {
  let s = raw.replace(/[^A-Za-z0-9_.]/g, '_');
  if (s === '' || /^[0-9.]/.test(s) || /^[eE]([0-9]|[eE]|$)/.test(s) || RESERVED.has(s.toLowerCase()))
    s = `_${s}`;
  return s.length > MAX_LONG ? s.slice(0, MAX_LONG) : s;
}

/** Unique file names for the model's columns and rows, and for the objective constant column. */
export function exportNames(model: Model, style: NameStyle): ExportNames {
  const needConstant = model.objective.constant !== 0 || model.variables.length === 0;
  if (style === 'fixed') {
    // 'C'/'R' + base 36 fits 36^7 names in MPS's 8 columns.
    const short = (p: string, k: number) => `${p}${k.toString(36).toUpperCase()}`;
    return {
      cols: model.variables.map((_, j) => short('C', j)),
      rows: model.constraints.map((_, i) => short('R', i)),
      constantCol: needConstant ? 'OBJCONST' : null,
    };
  }
  const cols = unique(
    model.variables.map((v) => sanitizeName(v.name)),
    needConstant ? [CONSTANT_COLUMN] : [],
  );
  const rows = unique(
    model.constraints.map((c) => sanitizeName(c.name)),
    [OBJECTIVE_ROW],
  );
  return { cols, rows, constantCol: needConstant ? CONSTANT_COLUMN : null };
}

/** Makes names unique (case-insensitively, as some readers fold case), never reusing `taken`. */
function unique(names: string[], taken: string[]): string[] {
  const used = new Set(taken.map((t) => t.toLowerCase()));
  return names.map((n) => {
    let name = n;
    for (let k = 2; used.has(name.toLowerCase()); k++) {
      const suffix = `_${k}`;
      name = n.slice(0, MAX_LONG - suffix.length) + suffix;
    }
    used.add(name.toLowerCase());
    return name;
  });
}
