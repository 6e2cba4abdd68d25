/**
 * One realistic-bound LP per (k, intervals) on `gen mixed -n 300 --seed 7 --load 0.9`
 * (hetero-6), or WORKLOAD on CLUSTER: Σ met against ⌈qW⌉, size and solve time, to see which
 * aggregation loosens the bound (docs/bounds.md, "Limits").
 * Run: SPECS=1.2:24,1.2:64 [Q=0.95] [WORKLOAD=w.json CLUSTER=c.json] npx tsx bench/realisticLpProbe.ts   (SPECS: k:intervals,…)
 */

import { loadavg } from 'node:os';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { closeIdleWorkers, solveModel } from '../src/solver/solve.ts';
import { probedScenario } from './generatedScenario.ts';

const sc = probedScenario();
const floors = realisticFloors(sc);
const req = requiredRank(sc.workload.workflows.length, Number(process.env.Q ?? 0.95));
for (const spec of (process.env.SPECS ?? '1.2:24').split(',')) {
  const [k, K] = spec.split(':').map(Number);
  const t0 = performance.now();
  const _c0 = process.cpuUsage();
  const lp = buildRealisticLp(sc, floors, k!, req, { intervals: K });
  const bS = (performance.now() - t0) / 1000;
  const res = await solveModel(lp.model, { solver: 'highs', timeLimitS: 300, lpMethod: 'ipm' });
  console.log(
    JSON.stringify({
      k,
      K,
      status: res.status,
      met: res.bound ?? res.objective,
      req,
      possible: lp.possible,
      cols: lp.model.variables.length,
      rows: lp.model.constraints.length,
      buildS: bS.toFixed(2),
      solveS: res.solveSeconds.toFixed(1),
      load: loadavg()[0]!.toFixed(1),
    }),
  );
}
closeIdleWorkers();
