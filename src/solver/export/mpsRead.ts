/**
 * MPS reader (free format, and fixed format whose names contain no spaces — which includes every
 * file writeMps produces): turns a file back into a Model, so an exported model, or one written
 * by another tool, can be solved by any backend. Conventions follow the common readers: the
 * first N row is the objective, an RHS on it is minus the objective constant, RANGES make a
 * row two-sided (here: a second row `<name>_range`), integer columns between INTORG/INTEND
 * markers default to [0, +inf), and an UP bound below zero on a column whose lower bound was
 * not set makes the lower bound −inf.
 */
import { HexplanError } from '../../errors.ts';
import { LinearExpr, Model, type Sense } from '../model.ts';

interface Col {
  name: string;
  integer: boolean;
  lb: number;
  ub: number;
  lbSet: boolean;
}

interface Row {
  name: string;
  type: 'N' | 'L' | 'G' | 'E';
  rhs: number;
  range: number | null;
}

export function readMps(text: string, file = 'model.mps'): Model {
  const fail = (line: number, message: string): never => {
    throw new HexplanError(`${file}: line ${line}: ${message}`);
  };
  let name = 'mps';
  let sense: 'min' | 'max' = 'min';
  let section = '';
  let objective: string | null = null;
  const rows = new Map<string, Row>();
  const cols = new Map<string, Col>();
  /** Row name → [column, coefficient] in file order (repeats are summed by the Model). */
  const entries = new Map<string, Array<[string, number]>>();
  let inInt = false;
  let objConstant = 0;
  let ended = false;

  const num = (s: string | undefined, line: number): number => {
    const x = Number(s);
    if (s === undefined || s === '' || !Number.isFinite(x)) fail(line, `expected a number, got "${s ?? ''}"`);
    return x;
  };
  const row = (r: string, line: number): Row => rows.get(r) ?? fail(line, `unknown row "${r}"`);

  text.split(/\r?\n/).forEach((raw, k) => {
    const line = k + 1;
    if (ended || raw.trim() === '' || raw.startsWith('*')) return;
    const t = raw.trim().split(/\s+/);
    if (!/^\s/.test(raw)) {
      section = t[0]!.toUpperCase();
      if (section === 'NAME') name = t[1] ?? name;
      else if (section === 'OBJSENSE' && t[1]) sense = t[1].toUpperCase().startsWith('MAX') ? 'max' : 'min';
      else if (section === 'ENDATA') ended = true;
      else if (!['ROWS', 'COLUMNS', 'RHS', 'RANGES', 'BOUNDS', 'OBJSENSE'].includes(section)) {
        fail(line, `unknown section "${t[0]}"`);
      }
      return;
    }
    switch (section) {
      case 'OBJSENSE':
        sense = t[0]!.toUpperCase().startsWith('MAX') ? 'max' : 'min';
        return;
      case 'ROWS': {
        const type = t[0]!.toUpperCase();
        if (!['N', 'L', 'G', 'E'].includes(type) || !t[1]) fail(line, `bad row "${raw.trim()}"`);
        if (type === 'N' && objective === null) objective = t[1]!;
        rows.set(t[1]!, { name: t[1]!, type: type as Row['type'], rhs: 0, range: null });
        return;
      }
      case 'COLUMNS': {
        if (t[1]?.replace(/'/g, '').toUpperCase() === 'MARKER') {
          const kind = t[2]?.replace(/'/g, '').toUpperCase();
          if (kind === 'INTORG') inInt = true;
          else if (kind === 'INTEND') inInt = false;
          else fail(line, `bad marker "${raw.trim()}"`);
          return;
        }
        let c = cols.get(t[0]!);
        if (!c) {
          c = { name: t[0]!, integer: inInt, lb: 0, ub: Number.POSITIVE_INFINITY, lbSet: false };
          cols.set(c.name, c);
        }
        for (let k2 = 1; k2 + 1 < t.length; k2 += 2) {
          row(t[k2]!, line);
          const list = entries.get(t[k2]!) ?? [];
          list.push([c.name, num(t[k2 + 1], line)]);
          entries.set(t[k2]!, list);
        }
        return;
      }
      case 'RHS':
      case 'RANGES': {
        // The set name is optional in free MPS: pairs start at 1 when the token count is odd.
        for (let k2 = t.length % 2 === 1 ? 1 : 0; k2 + 1 < t.length; k2 += 2) {
          const r = row(t[k2]!, line);
          const v = num(t[k2 + 1], line);
          if (section === 'RANGES') r.range = v;
          else if (r.name === objective) objConstant = -v;
          else r.rhs = v;
        }
        return;
      }
      case 'BOUNDS': {
        const type = t[0]!.toUpperCase();
        const noValue = ['FR', 'MI', 'PL', 'BV'].includes(type);
        const colName = t.length === (noValue ? 2 : 3) ? t[1]! : t[2]!;
        const c = cols.get(colName) ?? fail(line, `unknown column "${colName}"`);
        const v = noValue ? 0 : num(t[t.length - 1], line);
        if (type === 'UP' || type === 'UI') {
          c.ub = v;
          if (v < 0 && !c.lbSet) c.lb = Number.NEGATIVE_INFINITY;
        } else if (type === 'LO' || type === 'LI') {
          c.lb = v;
          c.lbSet = true;
        } else if (type === 'FX') {
          c.lb = v;
          c.ub = v;
          c.lbSet = true;
        } else if (type === 'FR') {
          c.lb = Number.NEGATIVE_INFINITY;
          c.ub = Number.POSITIVE_INFINITY;
        } else if (type === 'MI') {
          c.lb = Number.NEGATIVE_INFINITY;
          c.lbSet = true;
        } else if (type === 'PL') c.ub = Number.POSITIVE_INFINITY;
        else if (type === 'BV') {
          c.integer = true;
          c.lb = 0;
          c.ub = 1;
        } else fail(line, `unknown bound type "${t[0]}"`);
        if (type === 'LI' || type === 'UI') c.integer = true;
        return;
      }
      default:
        fail(line, `data outside a section: "${raw.trim()}"`);
    }
  });
  if (objective === null) throw new HexplanError(`${file}: no objective (N) row`);

  const m = new Model(name);
  const handles = new Map<string, ReturnType<Model['addVar']>>();
  for (const c of cols.values()) {
    const type = c.integer ? (c.lb === 0 && c.ub === 1 ? 'binary' : 'integer') : 'continuous';
    handles.set(c.name, m.addVar({ name: c.name, type, lb: c.lb, ub: c.ub }));
  }
  const exprOf = (r: string) => {
    const e = new LinearExpr();
    for (const [c, a] of entries.get(r) ?? []) e.add(a, handles.get(c)!);
    return e;
  };
  for (const r of rows.values()) {
    if (r.type === 'N') continue;
    const e = exprOf(r.name);
    const sense: Sense = r.type === 'L' ? '<=' : r.type === 'G' ? '>=' : '=';
    if (r.range === null || r.range === 0) {
      m.addConstraint(r.name, e, sense, r.rhs);
      continue;
    }
    const R = Math.abs(r.range);
    const [lo, hi] =
      r.type === 'L'
        ? [r.rhs - R, r.rhs]
        : r.type === 'G'
          ? [r.rhs, r.rhs + R]
          : r.range > 0
            ? [r.rhs, r.rhs + R]
            : [r.rhs - R, r.rhs];
    m.addConstraint(r.name, e, '>=', lo);
    m.addConstraint(`${r.name}_range`, exprOf(r.name), '<=', hi);
  }
  m.setObjective(sense, exprOf(objective).addConstant(objConstant));
  return m;
}
