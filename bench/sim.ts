/**
 * Simulator benchmark: `npx tsx bench/sim.ts` → bench/results/sim.json and sim.md.
 *
 * 1. Throughput on instances/workloads/large.json × hetero-32, exact mode, every policy
 *    (targets: hexagent ≥ 100,000 calls/s, fcfs ≥ 300,000 calls/s on one core).
 *    The same on instances/workloads/large-loaded.json (load 0.9), both modes, every policy.
 * 2. Cost of one HexAGenT decision (reveal + risk key + pair search) at 32 to 256 instances
 *    (clusters made of 1–8 copies of hetero-32, each copy on its own nodes).
 * 3. Scaling from 10k to 1M calls: large.json truncated (10k) or replicated with each copy
 *    shifted by the workload's span (same offered load); 1M calls = 19 copies. Each size runs
 *    in a child process so its peak RSS (target: < 2 GiB at 1M) is its own.
 *
 * `--only decision` runs section 2 alone and prints it (nothing written).
 *
 * Timing is CPU time of this process (process.cpuUsage), not wall time: the benchmark box is
 * shared, and CPU time is what "calls/s on one core" means. Each figure is the median of
 * several runs after one warm-up run (JIT).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/files.ts';
import { ClusterState } from '../src/policy/clusterState.ts';
import { HorizonEstimator } from '../src/policy/horizon.ts';
import { PairSearch } from '../src/policy/pairSearch.ts';
import { POLICY_NAMES } from '../src/policy/registry.ts';
import { PolicyView } from '../src/policy/view.ts';
import { loadCluster, loadWorkload } from '../src/scenario/documents.ts';
import { makeScenario, type Scenario } from '../src/scenario/scenario.ts';
import type { Cluster } from '../src/schema/cluster.ts';
import type { Workload } from '../src/schema/workload.ts';
import { CallQueue } from '../src/sim/callQueue.ts';
import { simulate } from '../src/sim/simulate.ts';
import { Rng } from '../src/util/random.ts';
import { compileWorkload } from '../src/workload/compiled.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const LARGE = `${root}instances/workloads/large.json`;
const LARGE_LOADED = `${root}instances/workloads/large-loaded.json`;
const HETERO32 = `${root}instances/clusters/hetero-32.json`;

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const callCount = (w: Workload) => w.workflows.reduce((s, wf) => s + wf.calls.length, 0);

/** `copies` copies of the workload, copy k shifted by k · (span + gap) seconds, ids suffixed. */
export function replicate(base: Workload, copies: number): Workload {
  const span = Math.max(...base.workflows.map((w) => w.arrival_s)) + 1;
  const workflows = [];
  for (let k = 0; k < copies; k++) {
    for (const wf of base.workflows) {
      workflows.push({ ...wf, id: k === 0 ? wf.id : `${wf.id}~${k}`, arrival_s: wf.arrival_s + k * span });
    }
  }
  return { ...base, name: `${base.name ?? 'workload'}×${copies}`, workflows };
}

/** The first workflows of `base` holding at least `calls` calls. */
function truncate(base: Workload, calls: number): Workload {
  const workflows = [];
  let n = 0;
  for (const wf of base.workflows) {
    if (n >= calls) break;
    workflows.push(wf);
    n += wf.calls.length;
  }
  return { ...base, workflows };
}

/** hetero-32 repeated `copies` times, each copy on its own nodes. */
function clusterCopies(base: Cluster, copies: number): Cluster {
  const instances = [];
  for (let k = 0; k < copies; k++) {
    for (const i of base.instances) instances.push({ ...i, id: `${i.id}~${k}`, node: `${i.node}~${k}` });
  }
  return { ...base, name: `${base.name}×${copies}`, instances };
}

function workloadForCalls(calls: number): Workload {
  const large = loadWorkload(LARGE);
  const n = callCount(large);
  return calls <= n ? truncate(large, calls) : replicate(large, Math.ceil(calls / n));
}

function throughput(sc: Scenario, policy: string, mode: 'exact' | 'realistic', runs: number) {
  for (let r = 0; r < 2; r++) simulate(sc, policy, { mode }); // warm-up (JIT tiers)
  const cpu: number[] = [];
  const wall: number[] = [];
  let p95 = 0;
  for (let r = 0; r < runs; r++) {
    const c0 = cpuMs();
    const w0 = performance.now();
    p95 = simulate(sc, policy, { mode }).metrics.p95;
    wall.push(performance.now() - w0);
    cpu.push(cpuMs() - c0);
  }
  const calls = callCount(sc.workload);
  return {
    policy,
    mode,
    calls,
    cpu_ms_median: median(cpu),
    wall_ms_median: median(wall),
    calls_per_s: Math.round(calls / (median(cpu) / 1000)),
    p95,
  };
}

/**
 * Microbenchmark of one HexAGenT decision on a cluster under random load: reveal, keys and the
 * pair search with its delay cost over real prefill queues of 0–3 calls, in both modes as
 * hexagent runs it. `realistic`: batch-aware decodes, E_p from the queued prefills keyed at or
 * below the call's, and the batch-mates term of the delay cost.
 */
function decisionCost(cluster: Cluster, sc0: Workload, realistic: boolean): number {
  const sc = makeScenario(sc0, cluster);
  const wl = compileWorkload(sc.workload);
  const I = sc.cost.instances.length;
  const state = new ClusterState(I);
  const rng = new Rng(7);
  const now = 100;
  const queuedPrefillS = new Float64Array(I * 3);
  const positions = CallQueue.positions(I * 3);
  const queues = Array.from({ length: I }, () => new CallQueue(positions));
  for (let i = 0; i < I; i++) {
    state.prefillBusyUntilS[i] = now + rng.uniform(-1, 2);
    state.prefillQueued[i] = rng.int(0, 3);
    for (let q = 0; q < state.prefillQueued[i]!; q++) {
      const id = i * 3 + q;
      queuedPrefillS[id] = rng.uniform(0.1, 0.5);
      state.prefillQueuedS[i]! += queuedPrefillS[id]!;
      queues[i]!.push(now + rng.uniform(-20, 40), id);
    }
    state.decodeRunning[i] = rng.int(0, 16);
    state.decodeRunningEndSumS[i] = state.decodeRunning[i]! * (now + rng.uniform(0, 5));
    state.kvReservedTokens[i] = rng.uniform(0, 20000);
  }
  state.attachPrefillQueues(queues, queuedPrefillS);
  // Per call (queued ones and the decided one alike), the delay weight 1 / ŝ hexagent keeps.
  const weights = Float64Array.from({ length: Math.max(I * 3, wl.calls) }, () => 1 / rng.uniform(1, 20));
  const stage = new Uint8Array(wl.calls).fill(1);
  const zeros = new Float64Array(wl.calls);
  const view = new PolicyView(
    sc.cost,
    wl,
    state,
    { stage, readyS: zeros, decodeEndS: zeros, serviceS: zeros },
    { assign() {}, rekey() {} },
  );
  view.setNow(now);
  const search = new PairSearch(view, {
    batchAware: realistic,
    queueKeyAware: realistic,
    batchedPrefill: realistic,
  });
  search.setQueuedWeights(weights);
  const decide = (count: number) => {
    const horizon = new HorizonEstimator(view, 2, 1);
    let sink = 0;
    for (let k = 0; k < count; k++) {
      const c = k % wl.calls;
      horizon.reveal(c);
      sink += horizon.latestStartS(c);
      const by = horizon.finishByS(c);
      const w = view.workflowOf(c);
      search.search(view.modelOf(w), wl.inputTokens[c]!, wl.outputTokens[c]!, by, horizon.estimateS(w));
      sink += search.p + by - search.prefillS - search.decodeS;
    }
    return sink;
  };
  decide(20_000);
  const samples: number[] = [];
  const n = 50_000;
  for (let r = 0; r < 5; r++) {
    const c0 = cpuMs();
    decide(n);
    samples.push(((cpuMs() - c0) * 1000) / n);
  }
  return Number(median(samples).toFixed(3));
}

function child(calls: number) {
  const wl = workloadForCalls(calls);
  const { cluster } = loadCluster(HETERO32);
  const c0 = cpuMs();
  const sc = makeScenario(wl, cluster);
  const setupMs = cpuMs() - c0;
  const out: Record<string, unknown> = { calls: callCount(wl), scenario_cpu_ms: Math.round(setupMs) };
  // Warm the JIT on a small run first, so every size measures steady-state code.
  const warm = makeScenario(truncate(loadWorkload(LARGE), 5000), cluster);
  for (const policy of ['fcfs', 'hexagent']) simulate(warm, policy);
  // Short runs are noisy on a shared box: more repetitions for small sizes.
  const runs = calls <= 20_000 ? 9 : calls <= 60_000 ? 5 : calls < 1_000_000 ? 3 : 1;
  for (const policy of ['fcfs', 'hexagent']) {
    const times: number[] = [];
    let p95 = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = cpuMs();
      p95 = simulate(sc, policy).metrics.p95;
      times.push(cpuMs() - t0);
    }
    const ms = median(times);
    out[policy] = { cpu_ms: Math.round(ms), calls_per_s: Math.round(callCount(wl) / (ms / 1000)), p95 };
  }
  out.max_rss_mib = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function decisionCosts(cluster: Cluster, large: Workload) {
  const small = truncate(large, 5000);
  return [1, 2, 4, 8].map((k) => {
    const copies = clusterCopies(cluster, k);
    const r = {
      instances: copies.instances.length,
      us_per_decision: decisionCost(copies, small, false),
      us_per_decision_realistic: decisionCost(copies, small, true),
    };
    process.stderr.write(
      `decision at ${r.instances} instances: ${r.us_per_decision} µs exact, ${r.us_per_decision_realistic} µs realistic\n`,
    );
    return r;
  });
}

/** `--only decision`: just the decision microbenchmark, printed, nothing written (for iterating). */
function only(section: string | undefined) {
  if (section !== 'decision') {
    process.stderr.write(`bench/sim.ts: --only takes 'decision', got '${section ?? ''}'\n`);
    process.exit(2);
  }
  const decision = decisionCosts(loadCluster(HETERO32).cluster, loadWorkload(LARGE));
  process.stdout.write(`${JSON.stringify({ decision, load_average_1_5_15_min: loadavg() }, null, 2)}\n`);
}

function main() {
  const childArg = process.argv.indexOf('--child');
  if (childArg >= 0) return child(Number(process.argv[childArg + 1]));
  const onlyArg = process.argv.indexOf('--only');
  if (onlyArg >= 0) return only(process.argv[onlyArg + 1]);
  const started = new Date().toISOString();
  const { cluster } = loadCluster(HETERO32);
  const large = loadWorkload(LARGE);
  const sc = makeScenario(large, cluster, { workloadFile: LARGE, clusterFile: HETERO32 });
  const results: Record<string, unknown> = {
    command: 'npx tsx bench/sim.ts',
    node: process.version,
    started_at: started,
    workload: 'instances/workloads/large.json',
    cluster: 'instances/clusters/hetero-32.json',
    calls: callCount(large),
  };
  const tp = [];
  for (const policy of POLICY_NAMES.filter((p) => p !== 'replay')) {
    const r = throughput(sc, policy, 'exact', 7);
    tp.push(r);
    process.stderr.write(`throughput ${policy}: ${r.calls_per_s} calls/s\n`);
  }
  for (const policy of ['fcfs', 'hexagent']) tp.push(throughput(sc, policy, 'realistic', 3));
  results.throughput = tp;
  // The same at load 0.9, where queues form and a bad placement shows in the p95 column.
  const loaded = loadWorkload(LARGE_LOADED);
  const scLoaded = makeScenario(loaded, cluster, { workloadFile: LARGE_LOADED, clusterFile: HETERO32 });
  results.loaded = { workload: 'instances/workloads/large-loaded.json', calls: callCount(loaded) };
  results.throughput_loaded = POLICY_NAMES.filter((p) => p !== 'replay').flatMap((policy) =>
    (['exact', 'realistic'] as const).map((mode) => {
      const r = throughput(scLoaded, policy, mode, 3);
      process.stderr.write(`loaded ${policy} ${mode}: ${r.calls_per_s} calls/s, p95 ${r.p95.toFixed(3)}\n`);
      return r;
    }),
  );
  results.decision = decisionCosts(cluster, large);
  const scaling = [];
  for (const calls of [10_000, 53_095, 250_000, 1_000_000]) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', String(calls)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (run.status !== 0) throw new Error(`child ${calls}: ${run.stderr}`);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!);
    scaling.push(r);
    process.stderr.write(`scaling ${r.calls}: ${JSON.stringify(r)}\n`);
  }
  results.scaling = scaling;
  results.load_average_1_5_15_min = loadavg().map((x) => Number(x.toFixed(2)));
  mkdirSync(`${root}bench/results`, { recursive: true });
  writeFileAtomic(`${root}bench/results/sim.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileAtomic(`${root}bench/results/sim.md`, markdown(results));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

interface Throughput {
  policy: string;
  mode: string;
  cpu_ms_median: number;
  wall_ms_median: number;
  calls_per_s: number;
  p95: number;
}
interface Scaling {
  calls: number;
  scenario_cpu_ms: number;
  fcfs: { cpu_ms: number; calls_per_s: number };
  hexagent: { cpu_ms: number; calls_per_s: number };
  max_rss_mib: number;
}

function throughputRows(rows: Throughput[]): string[] {
  return [
    '| policy | mode | CPU ms | wall ms | calls/s | p95 scale |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map(
      (t) =>
        `| ${t.policy} | ${t.mode} | ${t.cpu_ms_median.toFixed(0)} | ${t.wall_ms_median.toFixed(0)} | ${t.calls_per_s} | ${t.p95.toFixed(3)} |`,
    ),
  ];
}

function markdown(results: Record<string, unknown>): string {
  const r = results as {
    command: string;
    node: string;
    started_at: string;
    load_average_1_5_15_min: number[];
    workload: string;
    cluster: string;
    calls: number;
    throughput: Throughput[];
    loaded: { workload: string; calls: number };
    throughput_loaded: Throughput[];
    decision: Array<{ instances: number; us_per_decision: number; us_per_decision_realistic: number }>;
    scaling: Scaling[];
  };
  const lines = [
    '# Simulator benchmark',
    '',
    `Command: \`${r.command}\` (Node ${r.node}, ${r.started_at}; load average ${r.load_average_1_5_15_min.join(' / ')} on a shared 2-core box).`,
    'Times are CPU time of the benchmark process, median of runs after a warm-up.',
    '',
    `## Throughput: ${r.workload} (${r.calls} calls) × ${r.cluster}`,
    '',
    ...throughputRows(r.throughput),
    '',
    `## Throughput under load: ${r.loaded.workload} (${r.loaded.calls} calls, load 0.9) × ${r.cluster}`,
    '',
    ...throughputRows(r.throughput_loaded),
    '',
    '## One HexAGenT decision (reveal + risk keys + pair search with its delay cost, as hexagent runs it in each mode; target ≤ 5 µs at 128 instances)',
    '',
    '| instances | µs / decision, exact | µs / decision, realistic |',
    '|---:|---:|---:|',
    ...r.decision.map((d) => `| ${d.instances} | ${d.us_per_decision} | ${d.us_per_decision_realistic} |`),
    '',
    '## Scaling (exact mode, hetero-32; each size in its own process)',
    '',
    '| calls | scenario setup CPU ms | fcfs CPU ms | fcfs calls/s | hexagent CPU ms | hexagent calls/s | peak RSS MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...r.scaling.map(
      (s) =>
        `| ${s.calls} | ${s.scenario_cpu_ms} | ${s.fcfs.cpu_ms} | ${s.fcfs.calls_per_s} | ${s.hexagent.cpu_ms} | ${s.hexagent.calls_per_s} | ${s.max_rss_mib} |`,
    ),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

main();
