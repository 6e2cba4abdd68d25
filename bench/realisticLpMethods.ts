/**
 * One realistic LP at ~1M calls solved by HiGHS under several settings (method, presolve), to
 * see whether the method is what keeps it from solving in the budget.
 * Run: [NW=workflows] [K=1.05] [LIMIT_S=90] [RUNS=ipm:on,simplex:on,ipm:off] npx tsx bench/realisticLpMethods.ts
 */
import { loadavg } from 'node:os';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { loadHighsRuntime } from '../src/solver/backends/highs.ts';
import { packModel } from '../src/solver/backends/packed.ts';
import { mixedHetero32 } from './generatedScenario.ts';

const n = Number(process.env.NW ?? 230000);
const k = Number(process.env.K ?? 1.05);
const limitS = Number(process.env.LIMIT_S ?? 90);
const runs = (process.env.RUNS ?? 'ipm:on,simplex:on,ipm:off').split(',');
const sc = mixedHetero32(n);
const floors = realisticFloors(sc);
const lp = buildRealisticLp(sc, floors, k, requiredRank(n, 0.95), { intervals: 24 });
const p = packModel(lp.model);
console.log(
  `k ${k}: ${p.numCols} cols, ${p.numRows} rows, ${p.rowStart[p.numRows]} nonzeros, required ${lp.required}`,
);
const highs = await loadHighsRuntime();
const inf = highs.infinity;
const clamp = (a: Float64Array) => a.map((x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
for (const run of runs) {
  const [method, presolve] = run.split(':');
  const m = highs.createModel();
  m.options.set({ output_flag: false, presolve: presolve!, solver: method!, time_limit: limitS });
  m.passModel({
    numCols: p.numCols,
    numRows: p.numRows,
    sense: highs.constants.objectiveSense.maximize,
    offset: 0,
    colCost: p.colCost,
    colLower: clamp(p.colLower),
    colUpper: clamp(p.colUpper),
    rowLower: clamp(p.rowLower),
    rowUpper: clamp(p.rowUpper),
    matrix: {
      format: 'csr',
      numRows: p.numRows,
      numCols: p.numCols,
      starts: p.rowStart,
      indices: p.colIndex,
      values: p.value,
    },
  });
  const t = performance.now();
  m.run();
  const s = (performance.now() - t) / 1000;
  console.log(
    `${run}: status ${m.getModelStatus()}, objective ${m.getObjectiveValue()}, ${s.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`,
  );
  m.dispose();
}
