/**
 * Provisioning benchmark (issue 14): `provision` end to end (closed loop, homogeneous and no-PD
 * baselines, local search, cost floor; verified in realistic mode with hexagent) on the bundled
 * medium workload and on generated workloads of 300–1000 workflows; `--large` adds the bundled
 * large workload.
 * Run: npx tsx bench/provision.ts [--large] [--cases 0,1]  → bench/results/provision.json and .md
 * (a run with --cases only prints its rows: the recorded files keep the last full run)
 * (the bundled catalog: mixed instances share one GPU by chunked prefill); with --mixed-timeshare
 * (whole prefill batches first) → bench/results/provision-timeshare.*; with --side-by-side (prefill
 * and decode as if on a GPU each, docs/provision.md "Mixed instances") → provision-side-by-side.*
 * Checks per case: the answer costs no more than any baseline meeting the target, and the gap
 * cost / floor − 1. Wall times depend on machine load (uptime recorded); CPU seconds beside them.
 */
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { toJsonText, writeFileAtomic } from '../src/io/files.ts';
import { provision } from '../src/provision/provision.ts';
import { loadWorkload } from '../src/scenario/documents.ts';
import type { MixedTimeshare } from '../src/schema/cluster.ts';
import type { Workload } from '../src/schema/workload.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const uptime = () => execSync('uptime').toString().trim();

interface Case {
  name: string;
  workload: () => Workload;
  scale: number;
}

const CASES: Case[] = [
  {
    name: 'medium (bundled), k 1.5',
    workload: () => loadWorkload(root('instances/workloads/medium.json')),
    scale: 1.5,
  },
  {
    name: 'mixed 300 wf, 4/s, seed 11, k 2',
    workload: () => generateWorkload({ family: 'mixed', workflows: 300, seed: 11, ratePerS: 4 }).workload,
    scale: 2,
  },
  {
    name: 'react 500 wf, 4/s, seed 12, k 2',
    workload: () => generateWorkload({ family: 'react', workflows: 500, seed: 12, ratePerS: 4 }).workload,
    scale: 2,
  },
  {
    name: 'mapreduce 1000 wf, 4/s, seed 13, k 2',
    workload: () =>
      generateWorkload({ family: 'mapreduce', workflows: 1000, seed: 13, ratePerS: 4 }).workload,
    scale: 2,
  },
];
const LARGE: Case = {
  name: 'large (bundled), k 2',
  workload: () => loadWorkload(root('instances/workloads/large.json')),
  scale: 2,
};

// Undefined: the bundled catalog's choice (chunked prefill).
const timeshare: MixedTimeshare | undefined = process.argv.includes('--side-by-side')
  ? false
  : process.argv.includes('--mixed-timeshare')
    ? true
    : undefined;
const variant =
  timeshare === false
    ? {
        option: ', mixed instances side by side, as if on a GPU each (--side-by-side)',
        file: '-side-by-side',
        title: ': mixed instances side by side',
      }
    : timeshare
      ? {
          option: ', mixed instances timeshared, whole prefill batches first (--mixed-timeshare)',
          file: '-timeshare',
          title: ': mixed instances timeshared, whole prefill batches first',
        }
      : { option: ", mixed instances timeshared by chunked prefill (the catalog's)", file: '', title: '' };

async function run(c: Case) {
  const workload = c.workload();
  const before = uptime();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { report: r } = await provision(workload, {
    quantile: 0.95,
    scale: c.scale,
    ...(timeshare === undefined ? {} : { mixedTimeShare: timeshare }),
  });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const baselines = [
    ...r.homogeneous.map((h) => ({
      name: `homogeneous ${h.gpu}`,
      meets: h.meets_target,
      cost: h.cost_per_hour,
      note: h.note ?? null,
    })),
    ...(r.no_pd
      ? [{ name: 'no PD', meets: r.no_pd.meets_target, cost: r.no_pd.cost_per_hour, note: null }]
      : []),
  ];
  const meeting = baselines.filter((b) => b.meets && b.cost !== null);
  return {
    case: c.name,
    workflows: workload.workflows.length,
    calls: workload.workflows.reduce((s, w) => s + w.calls.length, 0),
    verified: r.verified,
    cost_per_hour: r.cost_per_hour,
    cost_lower_bound: r.cost_lower_bound,
    gap: r.gap,
    found_by: r.found_by,
    locally_minimal: r.locally_minimal,
    simulated_scale: r.simulated.scale,
    simulations: r.simulations,
    counts: r.counts,
    baselines,
    never_dearer_than_a_baseline: meeting.every((b) => r.cost_per_hour <= b.cost! + 1e-9),
    wall_s: wallS,
    cpu_s: (cpu.user + cpu.system) / 1e6,
    uptime_before: before,
  };
}

async function main(): Promise<void> {
  const all = process.argv.includes('--large') ? [...CASES, LARGE] : CASES;
  // --cases 0,1: a subset by index (the run is long on a loaded machine); the command is recorded.
  const pick = process.argv.indexOf('--cases');
  const only = pick >= 0 ? new Set(process.argv[pick + 1]!.split(',').map(Number)) : null;
  const cases = only ? all.filter((_, i) => only.has(i)) : all;
  const rows = [];
  for (const c of cases) {
    process.stderr.write(`${c.name}…\n`);
    rows.push(await run(c));
  }
  const result = {
    command: `npx tsx bench/provision.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version },
    options: `quantile 0.95, mode realistic, policy hexagent, all baselines, local search 30, floor on${variant.option}`,
    rows,
  };
  const out = `bench/results/provision${variant.file}`;
  const f = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
  const md = [
    `# Provisioning benchmark${variant.title}`,
    '',
    `Command: \`${result.command}\` (${result.machine.cpus} CPUs, ${result.machine.model}, Node ${result.machine.node}); ${result.options}.`,
    'Wall times depend on machine load (the machine is shared; `uptime` before each case is listed); CPU seconds beside them.',
    '',
    '| case | workflows | calls | cost $/h | floor $/h | gap | found by | locally minimal | ≤ every baseline meeting the target | cheapest baseline meeting it | wall s | CPU s | load before |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const meeting = r.baselines.filter((b) => b.meets && b.cost !== null).sort((a, b) => a.cost! - b.cost!);
      const cheapest = meeting[0] ? `${meeting[0].name} ${f(meeting[0].cost)}` : 'none';
      const load = /load average: ([\d.]+)/.exec(r.uptime_before)?.[1] ?? '?';
      return `| ${r.case} | ${r.workflows} | ${r.calls} | ${f(r.cost_per_hour)} | ${f(r.cost_lower_bound)} | ${r.gap === null ? '-' : `${(r.gap * 100).toFixed(1)}%`} | ${r.found_by} | ${r.locally_minimal} | ${r.never_dearer_than_a_baseline} | ${cheapest} | ${f(r.wall_s, 1)} | ${f(r.cpu_s, 1)} | ${load} |`;
    }),
    '',
  ].join('\n');
  process.stdout.write(`${md}\n`);
  // The recorded results hold whole runs: a subset printed over them would drop the other rows.
  if (only) {
    process.stderr.write(`--cases: printed only; ${out}.{json,md} keep the last full run\n`);
    return;
  }
  writeFileAtomic(root(`${out}.json`), toJsonText(result));
  writeFileAtomic(root(`${out}.md`), md);
}

await main();
