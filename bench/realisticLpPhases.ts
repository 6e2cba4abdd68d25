/**
 * CPU time of each phase of the realistic lower bound at scale (generate, scenario, floors,
 * one LP build at k = 1.1), then the whole search `realisticLowerBound` with a 60 s budget.
 * Default: `gen mixed -n 230000 --seed 11 --load 0.9` (~981k calls) on hetero-32.
 * Run: [NW=workflows] [K=intervals] npx tsx bench/realisticLpPhases.ts
 */

import { loadavg } from 'node:os';
import { realisticLowerBound } from '../src/bounds/realisticBound.ts';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { makeScenario } from '../src/scenario/scenario.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { closeIdleWorkers } from '../src/solver/solve.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';

const n = Number(process.env.NW ?? 230000);
const clusterFile = 'instances/clusters/hetero-32.json';
const catalog = loadCatalog();
const { cluster, profiles } = loadCluster(clusterFile, catalog);
const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let c = cpu();
const lap = (what: string) => {
  const x = cpu();
  console.log(`${what}: ${(x - c).toFixed(2)} s CPU, load ${loadavg()[0]!.toFixed(1)}`);
  c = x;
};
const { workload } = generateWorkload({
  family: 'mixed',
  workflows: n,
  seed: 11,
  load: 0.9,
  cost,
  clusterName: cluster.name,
});
lap('generate');
const sc = makeScenario(workload, cluster, { catalog, profiles, workloadFile: 'x', clusterFile });
lap('scenario');
const floors = realisticFloors(sc);
lap(`floors (groups ${floors.groups.length}, calls ${floors.compiled.calls})`);
const lp = buildRealisticLp(sc, floors, 1.1, requiredRank(n, 0.95), { intervals: 24 });
lap(`build (cols ${lp.model.variables.length}, rows ${lp.model.constraints.length}, classes ${lp.classes})`);
const t = performance.now();
const lb = await realisticLowerBound(sc, {
  quantile: 0.95,
  timeLimitS: 60,
  intervals: Number(process.env.K ?? 24),
  onProgress: (m) => console.log(m),
});
console.log(
  JSON.stringify({
    value: lb.value,
    source: lb.source,
    cp: lb.criticalPath,
    solves: lb.solves.map((s) => [s.k, s.status, s.met, s.columns, s.solve_s]),
    notes: lb.notes,
    wallS: (performance.now() - t) / 1000,
    cpuS: cpu() - c,
    load: loadavg()[0],
  }),
);
closeIdleWorkers();
