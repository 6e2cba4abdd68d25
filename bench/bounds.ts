/**
 * Cheap lower bounds at scale: every bound of every objective on the large bundled workload
 * (≥ 50k calls) on hetero-32, plus medium on hetero-6. Writes bench/results/bounds.json/.md.
 * Run: npx tsx bench/bounds.ts
 */
import { cpus } from 'node:os';
import { cheapBounds } from '../src/bounds/cheap.ts';
import { callFloors } from '../src/bounds/floors.ts';
import { writeFileAtomic } from '../src/io/files.ts';
import { loadScenario } from '../src/scenario/scenario.ts';
import type { Objective } from '../src/schema/plan.ts';

const CASES = [
  ['instances/workloads/large.json', 'instances/clusters/hetero-32.json'],
  ['instances/workloads/medium.json', 'instances/clusters/hetero-6.json'],
] as const;
const OBJECTIVES: Array<[Objective, number]> = [
  ['quantile-scale', 0.95],
  ['quantile-scale', 0.99],
  ['makespan', 0.95],
  ['mean-scale', 0.95],
  ['weighted-tardiness', 0.95],
];

const rows = [];
for (const [w, c] of CASES) {
  let t = performance.now();
  const scenario = loadScenario(w, c);
  const loadS = (performance.now() - t) / 1000;
  t = performance.now();
  const floors = callFloors(scenario);
  const floorsS = (performance.now() - t) / 1000;
  const objectives = [];
  for (const [objective, q] of OBJECTIVES) {
    t = performance.now();
    const bounds = cheapBounds(scenario, objective, q, floors);
    const seconds = (performance.now() - t) / 1000;
    const best = bounds.reduce((a, b) => (b.value > a.value ? b : a));
    objectives.push({ objective, quantile: q, seconds, best: best.value, best_source: best.source, bounds });
  }
  rows.push({
    workload: w,
    cluster: c,
    workflows: scenario.workload.workflows.length,
    calls: floors.calls,
    load_s: loadS,
    floors_s: floorsS,
    objectives,
  });
}

const result = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cases: rows };
writeFileAtomic('bench/results/bounds.json', `${JSON.stringify(result, null, 2)}\n`);
const md = [
  '# Cheap lower bounds at scale',
  '',
  'Command: `npx tsx bench/bounds.ts` (' + result.node + ', ' + result.cpu + ')',
  '',
  '| workload | cluster | calls | load s | floors s | objective | q | bound s | best bound | source |',
  '|---|---|---:|---:|---:|---|---:|---:|---:|---|',
  ...rows.flatMap((r) =>
    r.objectives.map(
      (o) =>
        `| ${r.workload} | ${r.cluster} | ${r.calls} | ${r.load_s.toFixed(2)} | ${r.floors_s.toFixed(2)} | ${o.objective} | ${o.quantile} | ${o.seconds.toFixed(2)} | ${o.best.toFixed(4)} | ${o.best_source} |`,
    ),
  ),
  '',
];
writeFileAtomic('bench/results/bounds.md', md.join('\n'));
process.stdout.write(md.join('\n'));
