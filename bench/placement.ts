/**
 * Placement ILP benchmark: `npx tsx bench/placement.ts [small|medium|large|scaling]…`
 * (no argument: all four). Each section's figures are merged into
 * bench/results/placement.json, and bench/results/placement.md is rewritten from it.
 *
 * - small: instances/workloads/small.json on hetero-6, highs, 60 s: proven optimal?
 * - medium: medium.json on hetero-6, highs, MIP 400 s + time-indexed LP ≤ 200 s: UB/LB − 1.
 * - large: large.json on hetero-32 (the cluster it was generated for): cheap lower bound and its time.
 * - scaling: generated mixed workloads of ~10…160 calls on hetero-6, quantile-scale and
 *   mean-scale, 30 s MIP limit each (plus the time-indexed LP when unproven).
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { bestCheapBound } from '../src/bounds/cheap.ts';
import { writeFileAtomic } from '../src/io/files.ts';
import { solvePlacement } from '../src/placement/solve.ts';
import type { PlacementResult } from '../src/placement/types.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { loadScenario, makeScenario } from '../src/scenario/scenario.ts';
import type { Workload } from '../src/schema/workload.ts';
import { closeIdleWorkers } from '../src/solver/solve.ts';
import { generateWorkload } from '../src/workload/generate/generate.ts';

const JSON_FILE = 'bench/results/placement.json';
const MD_FILE = 'bench/results/placement.md';
const CLUSTER = 'instances/clusters/hetero-6.json';

type Results = Record<string, unknown>;

function summary(r: PlacementResult, wallS: number) {
  return {
    status: r.status,
    upper_bound: r.upperBound,
    upper_bound_source: r.upperBoundSource,
    lower_bound: r.lowerBound,
    lower_bound_source: r.lowerBoundSource,
    gap: r.gap,
    solver_status: r.solverStatus,
    lp_bound: r.lpBound,
    best_heuristic: Math.min(...Object.values(r.heuristics)),
    heuristics: r.heuristics,
    bounds: r.bounds,
    model: r.modelStats,
    wall_s: round(wallS),
    ...(r.message ? { message: r.message } : {}),
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

async function timed(run: () => Promise<PlacementResult>) {
  const t0 = performance.now();
  const r = await run();
  return summary(r, (performance.now() - t0) / 1000);
}

const log = (m: string) => process.stderr.write(`${m}\n`);

async function small() {
  const sc = loadScenario('instances/workloads/small.json', CLUSTER);
  return timed(() => solvePlacement(sc, { objective: 'quantile-scale', timeLimitS: 60, onProgress: log }));
}

async function medium() {
  const sc = loadScenario('instances/workloads/medium.json', CLUSTER);
  return timed(() => solvePlacement(sc, { objective: 'quantile-scale', timeLimitS: 400, onProgress: log }));
}

async function large() {
  const t0 = performance.now();
  const sc = loadScenario('instances/workloads/large.json', 'instances/clusters/hetero-32.json');
  const loadS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const b = bestCheapBound(sc, 'quantile-scale', 0.95);
  return {
    cluster: 'hetero-32',
    calls: sc.workload.workflows.reduce((s, w) => s + w.calls.length, 0),
    lower_bound: b.value,
    lower_bound_source: `cheap:${b.source}`,
    all: b.all,
    load_s: round(loadS),
    bound_s: round((performance.now() - t1) / 1000),
  };
}

/** Workflows of a generated mixed workload, cut at about `calls` calls. */
function generated(calls: number, seed: number): Workload {
  const { cluster } = loadCluster(CLUSTER);
  const probe = makeScenario(loadScenario('instances/workloads/tiny.json', CLUSTER).workload, cluster);
  const g = generateWorkload({
    family: 'mixed',
    workflows: Math.max(2, calls),
    seed,
    cost: probe.cost,
    load: 0.8,
  });
  const out: Workload['workflows'] = [];
  let n = 0;
  // Keep workflows in arrival order, skipping any that would overshoot the target.
  for (const wf of g.workload.workflows) {
    if (n + wf.calls.length > calls) continue;
    out.push(wf);
    n += wf.calls.length;
    if (n === calls) break;
  }
  return { ...g.workload, name: `scaling-${calls}`, workflows: out };
}

async function scaling() {
  const { cluster } = loadCluster(CLUSTER);
  // Resumable: rows already recorded (same objective and size) are kept, not re-run.
  const previous = existsSync(JSON_FILE)
    ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')).scaling?.result ?? [])
    : [];
  const rows: Array<Record<string, unknown>> = previous.filter((r: Record<string, unknown>) => r.objective);
  for (const objective of ['quantile-scale', 'mean-scale'] as const) {
    for (const calls of [10, 20, 40, 80, 160]) {
      if (rows.some((r) => r.objective === objective && r.target_calls === calls)) continue;
      const wl = generated(calls, 7);
      const sc = makeScenario(wl, cluster, { workloadFile: `scaling-${calls}`, clusterFile: CLUSTER });
      const n = wl.workflows.reduce((s, w) => s + w.calls.length, 0);
      log(`scaling: ${objective}, ${n} calls, ${wl.workflows.length} workflows`);
      const r = await timed(() => solvePlacement(sc, { objective, timeLimitS: 30, onProgress: log }));
      rows.push({ objective, target_calls: calls, calls: n, workflows: wl.workflows.length, ...r });
      save('scaling', rows); // after every row: a run that dies keeps what it measured
    }
  }
  return rows;
}

const SECTIONS: Record<string, () => Promise<unknown>> = { small, medium, large, scaling };

async function main() {
  const wanted = process.argv.slice(2);
  if (wanted[0] === 'md') {
    // Rewrite the markdown from the recorded JSON only.
    writeFileAtomic(MD_FILE, markdown(JSON.parse(readFileSync(JSON_FILE, 'utf8'))));
    return;
  }
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  for (const n of names) if (!SECTIONS[n]) throw new Error(`unknown section ${n}`);
  for (const name of names) {
    log(`== ${name}`);
    save(name, await SECTIONS[name]!());
  }
  await closeIdleWorkers();
}

function save(name: string, value: unknown): void {
  // Re-read before writing: sections may run in parallel processes.
  const results: Results = existsSync(JSON_FILE) ? JSON.parse(readFileSync(JSON_FILE, 'utf8')) : {};
  results[name] = { command: `npx tsx bench/placement.ts ${name}`, cpus: cpus().length, result: value };
  writeFileAtomic(JSON_FILE, `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(MD_FILE, markdown(results));
}

function pct(x: unknown): string {
  return typeof x === 'number' ? `${(x * 100).toFixed(3)}%` : '-';
}

function markdown(results: Results): string {
  const lines = [
    '# Placement ILP benchmark',
    '',
    'Recorded by `npx tsx bench/placement.ts [section]` (hetero-6, except large on hetero-32; highs; MIP limit 60 s small, 400 s medium + time-indexed LP, 30 s scaling).',
    '',
  ];
  for (const [name, entry] of Object.entries(results)) {
    const e = entry as { command: string; cpus: number; result: unknown };
    lines.push(`## ${name}`, '', `\`${e.command}\` on ${e.cpus} CPU(s)`, '');
    const rows = Array.isArray(e.result) ? e.result : [e.result];
    lines.push(
      '| objective | calls | status | UB | LB (source) | UB/LB−1 | best heuristic | wall s |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const r of rows as Array<Record<string, unknown>>) {
      lines.push(
        `| ${r.objective ?? 'quantile-scale'} | ${r.calls ?? (r.model as { calls: number } | undefined)?.calls} | ${r.status ?? '-'} | ${fmt(r.upper_bound)} | ${fmt(r.lower_bound)} (${r.lower_bound_source}) | ${pct(r.gap)} | ${fmt(r.best_heuristic)} | ${r.wall_s ?? r.bound_s} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function fmt(x: unknown): string {
  return typeof x === 'number' ? x.toPrecision(6) : '-';
}

await main();
process.exit(0);
