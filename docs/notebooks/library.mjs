// Recipe 1: the library from plain Node. Run from a clone: node docs/notebooks/library.mjs
// (an installed package works the same: import from 'hexplan').
import { compare, loadScenario, requiredScale, simulate } from 'hexplan';

const scenario = loadScenario('instances/workloads/small.json', 'instances/clusters/hetero-6.json');

// One policy, both simulator modes: the required SLO scale at q = 0.95.
for (const mode of ['exact', 'realistic']) {
  const run = simulate(scenario, 'hexagent', { mode });
  console.log(`hexagent ${mode}: p95 scale ${requiredScale(run.scales, 0.95).toFixed(4)}`);
}

// Every policy side by side: a plot-ready table of rows.
const table = compare(scenario, ['hexagent', 'fcfs', 'least-loaded'], { mode: 'exact' }).policies.map((p) => ({
  policy: p.name,
  p95: Number(p.p95.toFixed(4)),
  p99: Number(p.p99.toFixed(4)),
}));
console.table(table);
