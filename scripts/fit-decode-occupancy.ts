/**
 * Fits EXACT_DECODE_OCCUPANCY (src/profile/occupancy.ts) to realistic runs and reports the
 * exact↔realistic error it leaves, into docs/calibration.md (between the occupancy markers):
 *
 *   npx tsx scripts/fit-decode-occupancy.ts          (prints the markdown)
 *   npx tsx scripts/fit-decode-occupancy.ts --write  (also updates docs/calibration.md)
 *
 * Occupancy ρ: in realistic mode a decode instance busy for time b holding Σ sequence-seconds s
 * has a mean batch s/b; ρ = Σ (s − b) / Σ (slots − 1)·b over every decode instance and run, so
 * that exact mode's nominal batch 1 + ρ·(slots − 1) is the busy-time-weighted mean batch.
 */
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster, loadWorkload } from '../src/scenario/documents.ts';
import { makeScenario, type Scenario } from '../src/scenario/scenario.ts';
import type { Cluster } from '../src/schema/cluster.ts';
import type { Workload } from '../src/schema/workload.ts';
import { simulate } from '../src/sim/simulate.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';
import { writeGeneratedSection } from './generatedSection.ts';

const catalog = loadCatalog();
const clusterFile = 'instances/clusters/hetero-6.json';
const { cluster } = loadCluster(clusterFile, catalog);
const POLICIES = ['hexagent', 'least-loaded'];

function generated(load: number, seed: number): { name: string; workload: Workload } {
  const cost = buildCostModel(cluster, { catalog, source: clusterFile });
  const g = generateWorkload({
    family: 'mixed',
    workflows: 120,
    seed,
    load,
    cost,
    clusterName: 'hetero-6',
    deadlineFactor: 3,
  });
  return { name: `mixed, 120 workflows, load ${load} (seed ${seed})`, workload: g.workload };
}
const cases = [
  { name: 'instances/workloads/medium.json', workload: loadWorkload('instances/workloads/medium.json') },
  generated(0.9, 901),
  generated(1.0, 1001),
  generated(1.2, 1201),
];

const scenario = (w: Workload, c: Cluster): Scenario => makeScenario(w, c, { catalog, clusterFile });

let extra = 0;
let room = 0;
for (const k of cases) {
  const sc = scenario(k.workload, cluster);
  for (const policy of POLICIES) {
    const r = simulate(sc, policy, { mode: 'realistic' });
    for (const inst of sc.cost.instances) {
      if (!inst.canDecode || inst.decodeSlots < 2) continue;
      const busy = r.usage.decodeBusyS[inst.index]!;
      extra += r.usage.decodeSeqS[inst.index]! - busy;
      room += (inst.decodeSlots - 1) * busy;
    }
  }
}
const rho = extra / room;

const rows: string[] = [];
const errs: Record<string, number[]> = { fitted: [], full: [] };
for (const k of cases) {
  for (const policy of POLICIES) {
    const real = simulate(scenario(k.workload, cluster), policy, { mode: 'realistic' }).metrics;
    const fit = simulate(scenario(k.workload, { ...cluster, exact_decode_occupancy: rho }), policy).metrics;
    const full = simulate(scenario(k.workload, { ...cluster, exact_decode_occupancy: 1 }), policy).metrics;
    const e = (x: number, y: number) => x / y - 1;
    errs.fitted!.push(Math.abs(e(fit.p95, real.p95)));
    errs.full!.push(Math.abs(e(full.p95, real.p95)));
    rows.push(
      `| ${k.name} | ${policy} | ${real.p95.toFixed(3)} | ${fit.p95.toFixed(3)} (${pct(e(fit.p95, real.p95))}) | ${full.p95.toFixed(3)} (${pct(e(full.p95, real.p95))}) |`,
    );
  }
}
function pct(x: number) {
  return `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

const md = [
  `Fitted occupancy ρ = ${rho.toFixed(4)} (busy-time-weighted over every decode instance of ${cases.length} workloads × ${POLICIES.join(', ')} in realistic mode on hetero-6, decode batch limits derived per instance).`,
  '',
  'Required SLO scale at q = 0.95, realistic mode against exact mode with the fitted occupancy and with full batches (ρ = 1, the old rule):',
  '',
  '| workload | policy | realistic p95 | exact, ρ fitted | exact, ρ = 1 |',
  '|---|---|---|---|---|',
  ...rows,
  '',
  `Mean |exact/realistic − 1| of p95: ${(100 * mean(errs.fitted!)).toFixed(1)}% with ρ fitted, ${(100 * mean(errs.full!)).toFixed(1)}% with full batches.`,
].join('\n');
process.stdout.write(`${md}\n`);
if (process.argv.includes('--write')) {
  const docs = [fileURLToPath(new URL('../docs/calibration.md', import.meta.url))];
  if (writeGeneratedSection(docs, 'occupancy', md).length === 0)
    throw new Error('no file carries the occupancy markers');
}
