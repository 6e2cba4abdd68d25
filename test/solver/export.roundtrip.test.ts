/**
 * Export round trip: a model written as CPLEX LP, free MPS and fixed MPS, read back and solved by
 * HiGHS from the text, has the same optimum (constant included) and status as the model solved
 * in memory. HiGHS is the reader here because glpk.js cannot read files; the formats written
 * are the subset CBC and glpsol read too (see docs/solvers.md).
 */
import { describe, expect, it } from 'vitest';
import { loadHighsRuntime } from '../../src/solver/backends/highs.ts';
import { writeLp, writeLpWithNames } from '../../src/solver/export/lp.ts';
import { type MpsFormat, writeMps } from '../../src/solver/export/mps.ts';
import { readMps } from '../../src/solver/export/mpsRead.ts';
import { sanitizeName } from '../../src/solver/export/names.ts';
import { LinearExpr, Model } from '../../src/solver/model.ts';
import { solveModel } from '../../src/solver/solve.ts';
import { assignment, denseLp, KNOWN_CASES } from './backends.models.ts';

type Format = 'lp' | MpsFormat;
const FORMATS: Format[] = ['lp', 'free', 'fixed'];

function write(m: Model, f: Format): string {
  return f === 'lp' ? writeLp(m) : writeMps(m, { format: f });
}

/** Solves file text with HiGHS: status name, objective, and the dimensions HiGHS read. */
async function solveText(text: string, f: Format) {
  const highs = await loadHighsRuntime();
  const hm = highs.createModel({ format: f === 'lp' ? 'lp' : 'mps', data: text });
  try {
    hm.options.set({ output_flag: false });
    hm.run();
    const code = hm.getModelStatus();
    const c = highs.constants.modelStatus;
    const status =
      code === c.optimal
        ? 'optimal'
        : code === c.infeasible
          ? 'infeasible'
          : code === c.unbounded
            ? 'unbounded'
            : code === c.unboundedOrInfeasible
              ? 'infeasible_or_unbounded'
              : `status ${code}`;
    return { status, objective: hm.getObjectiveValue(), dims: hm.getDimensions() };
  } finally {
    hm.dispose();
  }
}

describe.each(FORMATS)('export %s, read back by HiGHS', (f) => {
  it.each(KNOWN_CASES)('$name', async (c) => {
    const m = c.build();
    const text = write(m, f);
    const back = await solveText(text, f);
    if (c.status === 'optimal') {
      expect(back.status).toBe('optimal');
      expect(back.objective).toBeCloseTo(c.objective!, 6);
      const inMemory = await solveModel(m, { isolation: 'inline' });
      expect(back.objective).toBeCloseTo(inMemory.objective!, 6);
      // Every column and row arrived (plus the constant column when there is a constant).
      expect(back.dims.numRows).toBe(m.constraints.length);
      expect(back.dims.numCols).toBe(m.variables.length + (m.objective.constant !== 0 ? 1 : 0));
    } else {
      expect([c.status, 'infeasible_or_unbounded']).toContain(back.status);
    }
  });

  it('wraps long rows and keeps a medium MIP and a dense LP equal to the in-memory optimum', async () => {
    for (const m of [assignment(3, 8), denseLp(20, 60)]) {
      const inMemory = await solveModel(m, { isolation: 'inline' });
      const back = await solveText(write(m, f), f);
      expect(back.status).toBe('optimal');
      // Fixed MPS keeps 12 characters per number.
      expect(back.objective).toBeCloseTo(inMemory.objective!, f === 'fixed' ? 4 : 6);
    }
  });
});

describe('names', () => {
  it('sanitizes names to what LP readers accept', () => {
    expect(sanitizeName('x[1,2]')).toBe('x_1_2_');
    expect(sanitizeName('3abc')).toBe('_3abc');
    expect(sanitizeName('e12')).toBe('_e12');
    expect(sanitizeName('E')).toBe('_E');
    expect(sanitizeName('free')).toBe('_free');
    expect(sanitizeName('.a')).toBe('_.a');
    expect(sanitizeName('a b-c')).toBe('a_b_c');
    expect(sanitizeName('')).toBe('_');
    expect(sanitizeName('ok_name.1')).toBe('ok_name.1');
  });

  it('keeps hostile names unique and readable, and the file solves to the same optimum', async () => {
    const m = new Model('names test');
    const a = m.addVar({ name: 'x[1]', ub: 4 });
    const b = m.addVar({ name: 'x_1_', ub: 4 }); // collides with x[1] once sanitized
    const e = m.addVar({ name: 'e1', type: 'integer', lb: -2, ub: 3 });
    const f = m.addVar({ name: 'obj_const', ub: 1 }); // collides with the constant column
    const g = m.addVar({ name: 'inf', lb: Number.NEGATIVE_INFINITY, ub: 2 });
    m.addConstraint('obj', LinearExpr.of([1, a], [1, b]), '<=', 5); // collides with the objective row
    m.addConstraint('row with spaces', LinearExpr.of([1, e], [1, g], [1, f]), '>=', -10);
    m.setObjective('max', LinearExpr.of([2, a], [1, b], [1, e], [3, f], [1, g]).addConstant(-7.5));
    const { text, names } = writeLpWithNames(m);
    expect(new Set(names.cols).size).toBe(names.cols.length);
    expect(names.cols).not.toContain(names.constantCol);
    expect(names.rows).not.toContain('obj');
    const inMemory = await solveModel(m, { isolation: 'inline' });
    expect(inMemory.status).toBe('optimal');
    for (const fmt of FORMATS) {
      const back = await solveText(fmt === 'lp' ? text : write(m, fmt), fmt);
      expect(back.status, fmt).toBe('optimal');
      expect(back.objective, fmt).toBeCloseTo(inMemory.objective!, 9);
    }
    // The legacy one-shot API reads the LP string too and reports columns by the exported name.
    const highs = await loadHighsRuntime();
    const legacy = highs.solve(text, { output_flag: false });
    expect(legacy.Status).toBe('Optimal');
    expect(legacy.ObjectiveValue).toBeCloseTo(inMemory.objective!, 9);
    const col = legacy.Columns[names.cols[0]!] as { Primal?: number };
    expect(col.Primal).toBeCloseTo(inMemory.values![0]!, 9);
  });
});

describe('readMps', () => {
  it.each(['free', 'fixed'] as const)(
    'reads back what writeMps (%s) wrote: every backend finds the same optimum',
    async (format) => {
      for (const c of KNOWN_CASES.filter((k) => k.status === 'optimal')) {
        const back = readMps(writeMps(c.build(), { format }));
        for (const solver of ['highs', 'glpk', 'jslp'] as const) {
          const r = await solveModel(back, { solver, isolation: 'inline' });
          expect(r.status, `${c.name} ${solver}`).toBe('optimal');
          expect(r.objective, `${c.name} ${solver}`).toBeCloseTo(c.objective!, 6);
        }
      }
    },
  );

  it('reads ranges, an objective RHS, optional set names, BV/MI/FR bounds and UP < 0', async () => {
    const text = [
      'NAME test',
      'ROWS',
      ' N cost',
      ' L lim',
      ' G low',
      ' E eq',
      'COLUMNS',
      ' x cost 1 lim 1',
      ' x eq 1',
      ' y cost 2 low 1',
      ' y eq 1',
      ' b cost -3 lim 1',
      ' z cost 1 eq -1',
      'RHS',
      ' cost -10',
      ' lim 4 low 1',
      ' eq 2',
      'RANGES',
      ' R lim 3',
      'BOUNDS',
      ' BV B b',
      ' MI B z',
      ' UP B z 5',
      ' UP y -1',
      'ENDATA',
    ].join('\n');
    const m = readMps(text);
    expect(m.objective.constant).toBe(10);
    expect(m.variables.find((v) => v.name === 'b')).toMatchObject({ type: 'binary', lb: 0, ub: 1 });
    expect(m.variables.find((v) => v.name === 'z')).toMatchObject({ lb: Number.NEGATIVE_INFINITY, ub: 5 });
    expect(m.variables.find((v) => v.name === 'y')).toMatchObject({ lb: Number.NEGATIVE_INFINITY, ub: -1 });
    expect(m.constraints.map((c) => `${c.name} ${c.sense} ${c.rhs}`)).toEqual([
      'lim >= 1',
      'lim_range <= 4',
      'low >= 1',
      'eq = 2',
    ]);
    expect(() => readMps('ROWS\n N obj\nCOLUMNS\n x nope 1\nENDATA', 'bad.mps')).toThrow(
      /bad.mps: line 4: unknown row "nope"/,
    );
  });
});
