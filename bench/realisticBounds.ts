/**
 * The realistic bracket at scale: `runRealisticGap` (LP lower bound, best simulated schedule)
 * on generated loaded workloads (300 workflows, load 0.9 and 1.0, hetero-6, q = 0.95/0.99) and
 * on the bundled `large` (53k calls) on hetero-32; the LP lower bound alone on a generated
 * workload of about 1M calls. Writes bench/results/realistic-bounds.json/.md.
 * Run: npx tsx bench/realisticBounds.ts [--skip-1m] [--cases N (the first N only)] [--lp-limit S]
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { runRealisticGap } from '../src/analysis/realisticGap.ts';
import { realisticLowerBound } from '../src/bounds/realisticBound.ts';
import { writeFileAtomic } from '../src/io/files.ts';
import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { loadScenario, makeScenario, type Scenario } from '../src/scenario/scenario.ts';
import { closeIdleWorkers } from '../src/solver/solve.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';

const HETERO6 = 'instances/clusters/hetero-6.json';
const HETERO32 = 'instances/clusters/hetero-32.json';

function generated(workflows: number, load: number, clusterFile: string, seed: number): Scenario {
  const catalog = loadCatalog();
  const { cluster, profiles } = loadCluster(clusterFile, catalog);
  const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
  const { workload } = generateWorkload({
    family: 'mixed',
    workflows,
    seed,
    load,
    cost,
    clusterName: cluster.name,
  });
  return makeScenario(workload, cluster, {
    catalog,
    profiles,
    workloadFile: `gen mixed -n ${workflows} --seed ${seed} --load ${load}`,
    clusterFile,
  });
}

const heapMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const fmt = (x: unknown, d: number) => (typeof x === 'number' ? x.toFixed(d) : '-');
function writeResults(): void {
  const md = [
    '# Realistic-mode bracket at scale',
    '',
    `Command: \`${['npx tsx bench/realisticBounds.ts', ...process.argv.slice(2)].join(' ')}\` (${process.version}, ${cpus()[0]?.model ?? 'cpu'}, ${cpus().length} cores, shared machine: 1-minute load average before→after each row)`,
    '',
    '| workload | cluster | calls | q | LP limit s | LB | LB source | UB | UB source | UB/LB − 1 | hexagent | LPs | schedules simulated | max columns | LP s | wall s | RSS MiB | load |',
    '|---|---|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.workload} | ${r.cluster} | ${r.calls} | ${r.q} | ${r.lp_limit_s ?? '-'} | ${fmt(r.lb, 4)} | ${r.lb_source} | ${fmt(r.ub, 4)} | ${r.ub_source} | ${fmt(r.ub_over_lb_pct, 1)}% | ${fmt(r.hexagent, 4)} | ${r.lps} | ${r.search_evaluations ?? '-'} | ${r.max_columns} | ${fmt(r.lp_s, 1)} | ${fmt(r.wall_s, 1)} | ${r.rss_mib} | ${r.load_1min} |`,
    ),
    '',
  ];
  // Sections after the table are measurements by hand: kept as they are.
  const mdFile = 'bench/results/realistic-bounds.md';
  const previous = existsSync(mdFile) ? readFileSync(mdFile, 'utf8') : '';
  const byHand = previous.indexOf('\n## ');
  if (byHand >= 0) md.push(previous.slice(byHand + 1));
  writeFileAtomic('bench/results/realistic-bounds.json', `${JSON.stringify(rows, null, 2)}\n`);
  writeFileAtomic(mdFile, md.join('\n'));
}

const rows: Array<Record<string, unknown>> = [];
const cases: Array<{ make: () => Scenario; q: number[]; limitS: number; moves: number }> = [
  { make: () => generated(300, 0.9, HETERO6, 7), q: [0.95, 0.99], limitS: 60, moves: 60 },
  { make: () => generated(300, 1.0, HETERO6, 7), q: [0.95, 0.99], limitS: 60, moves: 60 },
  { make: () => loadScenario('instances/workloads/large.json', HETERO32), q: [0.95], limitS: 120, moves: 4 },
];
const argAfter = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
const lpLimitS = argAfter('--lp-limit');
for (const c of cases.slice(0, argAfter('--cases') ?? cases.length)) {
  const sc = c.make();
  for (const q of c.q) {
    const load0 = loadavg()[0]!;
    const t = performance.now();
    const r = await runRealisticGap(sc, {
      quantile: q,
      solver: 'highs',
      timeLimitS: lpLimitS ?? c.limitS,
      ilp: 'off',
      searchMoves: c.moves,
    });
    const wallS = (performance.now() - t) / 1000;
    const o = r.optimum;
    rows.push({
      lp_limit_s: lpLimitS ?? c.limitS,
      workload: sc.workloadFile,
      cluster: sc.clusterFile,
      calls: r.calls,
      q,
      lb: o.lower_bound,
      lb_source: o.lower_bound_source,
      ub: o.upper_bound,
      ub_source: o.upper_bound_source,
      ub_over_lb_pct: (o.upper_bound / o.lower_bound - 1) * 100,
      hexagent: r.policies.find((p) => p.name === 'hexagent')?.scale ?? null,
      lp_s: o.lp_s,
      lps: o.lp_solves.length,
      search_evaluations: o.search_evaluations,
      max_columns: Math.max(0, ...o.lp_solves.map((s) => s.columns)),
      wall_s: wallS,
      rss_mib: heapMiB(),
      load_1min: `${load0.toFixed(2)}→${loadavg()[0]!.toFixed(2)}`,
    });
    console.error(JSON.stringify(rows[rows.length - 1]));
    writeResults();
  }
}
if (!process.argv.includes('--skip-1m')) {
  // ~1M calls: the mixed family averages ~4.4 calls per workflow.
  const sc = generated(230_000, 0.9, HETERO32, 11);
  const calls = sc.workload.workflows.reduce((n, wf) => n + wf.calls.length, 0);
  const load0 = loadavg()[0]!;
  const t = performance.now();
  const lb = await realisticLowerBound(sc, { quantile: 0.95, timeLimitS: 60, intervals: 24 });
  rows.push({
    workload: sc.workloadFile,
    cluster: sc.clusterFile,
    calls,
    q: 0.95,
    lb: lb.value,
    lb_source: lb.source,
    ub: null,
    ub_source: 'not run',
    ub_over_lb_pct: null,
    hexagent: null,
    lp_s: (performance.now() - t) / 1000,
    lps: lb.solves.length,
    max_columns: Math.max(0, ...lb.solves.map((s) => s.columns)),
    wall_s: (performance.now() - t) / 1000,
    rss_mib: heapMiB(),
    load_1min: `${load0.toFixed(2)}→${loadavg()[0]!.toFixed(2)}`,
  });
  console.error(JSON.stringify(rows[rows.length - 1]));
  writeResults();
}
closeIdleWorkers();
