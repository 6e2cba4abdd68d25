import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { makeScenario } from '../src/scenario/scenario.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { solveModel, closeIdleWorkers } from '../src/solver/solve.ts';
import { requiredRank } from '../src/slo/quantile.ts';
const load = Number(process.argv[2] ?? 0.9); const W = Number(process.argv[3] ?? 300);
const clusterFile='instances/clusters/hetero-6.json';
const catalog = loadCatalog();
const { cluster, profiles } = loadCluster(clusterFile, catalog);
const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
const { workload } = generateWorkload({ family: 'mixed', workflows: W, seed: 7, load, cost, clusterName: cluster.name });
const sc = makeScenario(workload, cluster, { catalog, profiles, workloadFile: 'g', clusterFile });
const f = realisticFloors(sc);
const req = requiredRank(W, 0.95);
for (const k of process.argv.slice(5).map(Number)) {
  const t = performance.now();
  const lp = buildRealisticLp(sc, f, k, req, { intervals: Number(process.env.IV ?? 48) });
  const res = await solveModel(lp.model, { solver: 'highs', timeLimitS: 60, lpMethod: (process.env.LPM as 'ipm') ?? 'ipm' });
  console.log(k, res.status, res.objective?.toFixed(2), 'of', req, 'possible', lp.possible, 'cols', lp.model.variables.length, ((performance.now()-t)/1000).toFixed(1)+'s');
}
closeIdleWorkers();
if (process.env.DBG) {
  const k = 1.05;
  const lp = buildRealisticLp(sc, f, k, req, { intervals: Number(process.env.IV ?? 48) });
  const res = await solveModel(lp.model, { solver: 'highs', timeLimitS: 60, lpMethod: (process.env.LPM as 'ipm') ?? 'ipm' });
  const v = res.values!;
  const agg = new Map<string, number>();
  lp.model.variables.forEach((x, i) => { const m = x.name.match(/^dec_\d+_(\d+)_\d+_([ne])$/); if (m) agg.set(m[1]+m[2], (agg.get(m[1]+m[2]) ?? 0) + v[i]!); const p = x.name.match(/^pre_\d+_(\d+)_\d+$/); if (p) agg.set('pre'+p[1], (agg.get('pre'+p[1]) ?? 0) + v[i]!); });
  console.log(f.groups.map(g=>g.members.map(m=>m.id).join(',')));
  console.log([...agg].map(([a,b])=>`${a}=${b.toFixed(1)}`).join(' '));
  let tok=0; for (let c=0;c<f.compiled.calls;c++) tok+=f.compiled.outputTokens[c]!; console.log('tokens', tok);
}
closeIdleWorkers();
if (process.env.DBG) {
  const k = Number(process.env.K ?? 1.02);
  const lp = buildRealisticLp(sc, f, k, req, { intervals: Number(process.env.IV ?? 48) });
  const res = await solveModel(lp.model, { solver: 'highs', timeLimitS: 60, lpMethod: (process.env.LPM as 'ipm') ?? 'ipm' });
  const v = res.values!;
  const lhs = (c: {vars:number[];coefs:number[]}) => c.vars.reduce((s, x, i) => s + c.coefs[i]! * v[x]!, 0);
  const sums = new Map<string, [number, number, number]>();
  for (const c of lp.model.constraints) {
    const key = c.name.replace(/_\d+$/, '').replace(/^dec_class_\d+_/, 'class_').replace(/^dec_\d+_\d+_/, 'cg_').replace(/^pre_class_\d+/, 'preclass');
    const s = sums.get(key) ?? [0, 0, 0]; const l = lhs(c); s[0] += l; s[1] += c.rhs; if (l > c.rhs - 1e-6*Math.max(1,Math.abs(c.rhs))) s[2]++; sums.set(key, s);
  }
  for (const [k2, s] of [...sums].sort()) console.log(k2, s[0].toFixed(1), s[1].toFixed(1), 'tight', s[2]);
  console.log('met', res.objective);
}
closeIdleWorkers();
