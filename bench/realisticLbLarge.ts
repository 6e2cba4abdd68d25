/**
 * The realistic lower bound alone on a workload file, with the whole LP and with the aggregated
 * master from AGG workflows on (comma-separated; "inf" keeps the whole LP).
 * Run: [W=instances/workloads/large.json] [C=instances/clusters/hetero-32.json] [AGG=inf,0] [BUDGET_S=60] npx tsx bench/realisticLbLarge.ts
 */
import { loadavg } from 'node:os';
import { realisticLowerBound } from '../src/bounds/realisticBound.ts';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { loadCatalog } from '../src/profile/catalog.ts';
import { loadCluster, loadWorkload } from '../src/scenario/documents.ts';
import { makeScenario } from '../src/scenario/scenario.ts';
import { closeIdleWorkers } from '../src/solver/solve.ts';

const workloadFile = process.env.W ?? 'instances/workloads/large.json';
const clusterFile = process.env.C ?? 'instances/clusters/hetero-32.json';
const catalog = loadCatalog();
const { cluster, profiles } = loadCluster(clusterFile, catalog);
const workload = loadWorkload(workloadFile);
const sc = makeScenario(workload, cluster, { catalog, profiles, workloadFile, clusterFile });
const floors = realisticFloors(sc);
for (const agg of (process.env.AGG ?? 'inf,0').split(',')) {
  const t = performance.now();
  const load0 = loadavg()[0]!;
  const lb = await realisticLowerBound(sc, {
    quantile: 0.95,
    floors,
    timeLimitS: Number(process.env.BUDGET_S ?? 60),
    aggregateFromWorkflows: agg === 'inf' ? Number.POSITIVE_INFINITY : Number(agg),
  });
  console.log(
    JSON.stringify({
      aggregateFrom: agg,
      value: lb.value,
      source: lb.source,
      solves: lb.solves.map((s) => [
        Number(s.k.toFixed(5)),
        s.status,
        s.met === null ? null : Number(s.met.toFixed(1)),
        s.solve_s.toFixed(1),
      ]),
      wallS: ((performance.now() - t) / 1000).toFixed(1),
      load: [load0.toFixed(1), loadavg()[0]!.toFixed(1)],
    }),
  );
}
closeIdleWorkers();
