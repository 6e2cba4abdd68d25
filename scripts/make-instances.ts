/**
 * Regenerates every bundled instance from fixed seeds: instances/clusters/*.json,
 * instances/workloads/{tiny,small,medium,large}{,-loaded}.json (no tiny-loaded) and instances/README.md.
 *
 *   npm run instances        (= npx tsx scripts/make-instances.ts)
 *
 * Each workload is generated at a stated offered load on its intended cluster. Where a size
 * window must hold (tiny ≤ 8 calls, small 20–30 calls, …), the script tries seeds base,
 * base+1, … and keeps the first that fits, so the choice is deterministic and recorded.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonText, writeFileAtomic } from '../src/io/files.ts';
import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { validateFile } from '../src/scenario/documents.ts';
import { CLUSTER_SCHEMA, type Cluster } from '../src/schema/cluster.ts';
import type { FamilyChoice } from '../src/workload/generate/families.ts';
import { generateWorkload, workloadJsonText } from '../src/workload/generate/generate.ts';
import { writeGeneratedSection } from './generatedSection.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODEL = 'Qwen2.5-32B';
const GPU = { a100: 'A100-SXM4-80GB', h100: 'H100-SXM5-80GB', h200: 'H200-SXM-141GB' } as const;

/** [id, gpu, tp, role, node]; the id says role-gpu-node. */
type Row = [string, keyof typeof GPU, number, 'prefill' | 'decode' | 'mixed', string];

function cluster(name: string, rows: Row[]): Cluster {
  return {
    schema: CLUSTER_SCHEMA,
    name,
    mem_util: 0.9,
    default_decode_slots: 16,
    links: { intra_node_latency_ms: 0.05, inter_node_latency_ms: 1, overrides: [] },
    instances: rows.map(([id, gpu, tp, role, node]) => ({ id, gpu: GPU[gpu], model: MODEL, tp, role, node })),
  };
}

// A100 decode instances use TP2: 65.6 GB of Qwen2.5-32B weights leave too little KV on one 80 GB A100.
const CLUSTERS: Cluster[] = [
  cluster('hetero-4', [
    ['p-h100-0', 'h100', 1, 'prefill', 'n0'],
    ['d-h200-0', 'h200', 1, 'decode', 'n0'],
    ['p-a100-0', 'a100', 1, 'prefill', 'n1'],
    ['d-a100-0', 'a100', 2, 'decode', 'n1'],
  ]),
  cluster('hetero-6', [
    ['p-h100-0', 'h100', 1, 'prefill', 'n0'],
    ['d-h200-0', 'h200', 1, 'decode', 'n0'],
    ['d-h100-0', 'h100', 1, 'decode', 'n0'],
    ['p-a100-0', 'a100', 1, 'prefill', 'n1'],
    ['d-a100-0', 'a100', 2, 'decode', 'n1'],
    ['m-h200-0', 'h200', 1, 'mixed', 'n2'],
  ]),
  cluster('hetero-32', hetero32()),
];

/** 8 nodes cycling A100, H100, H200; each 4 instances, the last one alternating prefill/mixed. */
function hetero32(): Row[] {
  const rows: Row[] = [];
  for (let k = 0; k < 8; k++) {
    const g = (['a100', 'h100', 'h200'] as const)[k % 3]!;
    const tpDecode = g === 'a100' ? 2 : 1;
    const n = `n${k}`;
    const last = k % 2 === 0 ? 'prefill' : 'mixed';
    rows.push([`p-${g}-${k}a`, g, 1, 'prefill', n]);
    rows.push([`d-${g}-${k}a`, g, tpDecode, 'decode', n]);
    rows.push([`d-${g}-${k}b`, g, tpDecode, 'decode', n]);
    rows.push([`${last === 'mixed' ? 'm' : 'p'}-${g}-${k}c`, g, 1, last, n]);
  }
  return rows;
}

interface WorkloadSpec {
  name: string;
  cluster: string;
  family: FamilyChoice;
  workflows: number;
  baseSeed: number;
  load: number;
  deadlineFactor: number;
  maxFanout: number;
  maxDepth: number;
  calls: [number, number];
  purpose: string;
}

const WORKLOADS: WorkloadSpec[] = [
  {
    name: 'tiny',
    cluster: 'hetero-4',
    family: 'mixed',
    workflows: 3,
    baseSeed: 101,
    load: 0.7,
    deadlineFactor: 3,
    maxFanout: 2,
    maxDepth: 3,
    calls: [6, 8],
    purpose: 'exact optimum by exhaustive search',
  },
  {
    name: 'small',
    cluster: 'hetero-6',
    family: 'mixed',
    workflows: 8,
    baseSeed: 202,
    load: 0.7,
    deadlineFactor: 3,
    maxFanout: 3,
    maxDepth: 4,
    calls: [20, 30],
    purpose: 'Quick-start default; placement ILP solved to proven optimality',
  },
  {
    name: 'medium',
    cluster: 'hetero-6',
    family: 'mixed',
    workflows: 50,
    baseSeed: 303,
    load: 0.75,
    deadlineFactor: 3,
    maxFanout: 6,
    maxDepth: 6,
    calls: [235, 265],
    purpose: 'ILP bounds and the gap between them',
  },
  {
    name: 'large',
    cluster: 'hetero-32',
    family: 'mixed',
    workflows: 12500,
    baseSeed: 404,
    load: 0.8,
    deadlineFactor: 3,
    maxFanout: 6,
    maxDepth: 6,
    calls: [50000, 60000],
    purpose: 'simulation and cheap bounds at scale',
  },
  // Loaded variants (offered load 0.9): the light defaults above never queue long enough to
  // show a policy that piles work onto one instance; these do (tests and bench/sim.ts use them).
  {
    name: 'small-loaded',
    cluster: 'hetero-6',
    family: 'mixed',
    workflows: 8,
    baseSeed: 212,
    load: 0.9,
    deadlineFactor: 3,
    maxFanout: 3,
    maxDepth: 4,
    calls: [20, 30],
    purpose: 'small at load 0.9: contention in an instance the ILP still solves',
  },
  {
    name: 'medium-loaded',
    cluster: 'hetero-6',
    family: 'mixed',
    workflows: 60,
    baseSeed: 313,
    load: 0.9,
    deadlineFactor: 3,
    maxFanout: 6,
    maxDepth: 6,
    calls: [235, 300],
    purpose: 'medium at load 0.9: policy regression under contention',
  },
  {
    name: 'large-loaded',
    cluster: 'hetero-32',
    family: 'mixed',
    workflows: 12500,
    baseSeed: 414,
    load: 0.9,
    deadlineFactor: 3,
    maxFanout: 6,
    maxDepth: 6,
    calls: [50000, 60000],
    purpose: 'large at load 0.9: policies and decisions at scale under contention',
  },
];

const catalog = loadCatalog();
const written: string[] = [];
for (const c of CLUSTERS) {
  const file = join(root, 'instances/clusters', `${c.name}.json`);
  writeFileAtomic(file, toJsonText(c));
  written.push(file);
}

const rows: string[] = [];
for (const spec of WORKLOADS) {
  const c = CLUSTERS.find((x) => x.name === spec.cluster)!;
  const cost = buildCostModel(c, { catalog, source: `instances/clusters/${c.name}.json` });
  let result: ReturnType<typeof generateWorkload> | null = null;
  let seed = spec.baseSeed;
  for (; seed < spec.baseSeed + 1000; seed++) {
    result = generateWorkload({
      family: spec.family,
      workflows: spec.workflows,
      seed,
      model: MODEL,
      load: spec.load,
      cost,
      clusterName: c.name,
      deadlineFactor: spec.deadlineFactor,
      maxFanout: spec.maxFanout,
      maxDepth: spec.maxDepth,
      name: spec.name,
    });
    if (result.calls >= spec.calls[0] && result.calls <= spec.calls[1]) break;
  }
  if (!result || seed === spec.baseSeed + 1000) throw new Error(`${spec.name}: no seed fits ${spec.calls}`);
  const file = join(root, 'instances/workloads', `${spec.name}.json`);
  writeFileAtomic(file, workloadJsonText(result.workload));
  written.push(file);
  const cap = result.capacity!;
  const families = new Map<string, number>();
  for (const wf of result.workload.workflows) families.set(wf.family!, (families.get(wf.family!) ?? 0) + 1);
  const mix = [...families]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, k]) => `${f} ${k}`)
    .join(', ');
  const kb = (statSync(file).size / 1024).toFixed(0);
  rows.push(
    `| ${spec.name} | ${c.name} | ${spec.workflows} | ${result.calls} | ${seed} | ${result.ratePerS.toPrecision(4)} | ` +
      `${spec.load} (${cap.bottleneck}) | ${cap.prefillCallsPerS.toFixed(2)} / ${cap.decodeCallsPerS.toFixed(2)} | ${mix} | ${kb} KB | ${spec.purpose} |`,
  );
  process.stdout.write(
    `${spec.name}: seed ${seed}, ${spec.workflows} workflows, ${result.calls} calls, rate ${result.ratePerS.toPrecision(4)}/s\n`,
  );
}

const readme = `# Bundled instances

Generated by \`npm run instances\` (scripts/make-instances.ts) from fixed seeds; do not edit by hand.
Every workload uses the \`mixed\` family (chat 30%, react 25%, mapreduce 15%, plan-execute 15%,
tree 15%) and model ${MODEL}, with Poisson arrivals at the rate that puts the cluster's bottleneck
stage at the stated offered load:

    load = rate × calls_per_workflow / min(prefill_calls_per_s, decode_calls_per_s)

where prefill capacity is Σ_p 1 / mean prefill time on p, and decode capacity is
Σ_d min(slots_d / mean decode time on d, KV_d / mean KV-token-seconds on d), all in the
exact-mode cost model (see docs/data.md). Deadlines: deadline_s = 3 × standalone time on the
intended cluster, a latency budget relative to arrival_s.

## Workloads

| name | cluster | workflows | calls | seed | rate (workflows/s) | offered load (bottleneck) | capacity prefill / decode (calls/s) | families | size | purpose |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The seed is the first one at or above the spec's base seed whose call count falls in the
size window (tiny 6–8, small 20–30, medium 235–265 (loaded: 235–300), large 50,000–60,000 calls).

## Clusters (all serve ${MODEL})

| name | instances | GPUs | mix |
|---|---|---|---|
${CLUSTERS.map((c) => {
  const gpus = c.instances.reduce((s, i) => s + i.tp, 0);
  const kinds = new Map<string, number>();
  for (const i of c.instances) {
    const k = `${i.gpu.split('-')[0]} ${i.role}${i.tp > 1 ? ` (TP${i.tp})` : ''}`;
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }
  return `| ${c.name} | ${c.instances.length} | ${gpus} | ${[...kinds].map(([k, n]) => `${n}× ${k}`).join(', ')} |`;
}).join('\n')}

## Attribution

Token lengths are drawn from distributions fitted to the Azure LLM inference trace 2023
(conversation), AzurePublicDataset, released with Splitwise: Patel et al., ISCA 2024
(CC-BY-4.0); see models/token-lengths.json and scripts/fit-token-lengths.ts.
`;
writeFileAtomic(join(root, 'instances/README.md'), readme);

// docs/data.md and README.md embed the workload and cluster tables between instances markers.
const tables = readme
  .slice(readme.indexOf('## Workloads'), readme.indexOf('## Attribution'))
  .replace(/^## /gm, '#### ');
writeGeneratedSection([join(root, 'docs/data.md'), join(root, 'README.md')], 'instances', tables);

let bad = 0;
for (const file of written) {
  const r = validateFile(file);
  if (!r.ok) {
    bad++;
    process.stderr.write(`${r.problems.join('\n')}\n`);
  }
}
if (bad > 0) process.exit(1);
process.stdout.write(`wrote and validated ${written.length} files and instances/README.md\n`);
