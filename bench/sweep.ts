/**
 * Sweep queue benchmark: `npx tsx bench/sweep.ts` → bench/results/sweep.json and sweep.md.
 *
 * Starts its own redis-server (Debian package) on a free loopback port and `hexplan worker`
 * processes (concurrency 1 each), as a user would.
 *
 * 1. Queue overhead per job (goal < 10 ms): N cells of ~1 ms (tiny workload) run in this process
 *    (`runSweep`, 1 thread) and through the queue with one worker; overhead = (T_queue − T_local) / N.
 *    Both include loading the grid; each queued run uses a fresh database and a worker warmed up
 *    on two other cells first.
 * 2. Speed-up of 2 workers over 1 (goal ≥ 1.8×): 16 cells of 1–5 s (a generated 20,000-workflow
 *    workload at load 1; cells must be long next to a job's pick-up for the ratio to mean anything), wall time from enqueue to the last line collected, each worker count
 *    on a fresh queue. On a shared 2-core machine the speed-up is bounded by the cores left
 *    free, so the load average is recorded beside it.
 *
 * Wall time is how long a researcher waits; on a shared box it mostly measures the other jobs, so
 * the overhead is also given in CPU time summed over the collector, the worker and redis-server.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisClient } from '../src/analysis/sweep/queue/connection.ts';
import { runSweep } from '../src/analysis/sweep/sweep.ts';
import { writeFileAtomic } from '../src/io/files.ts';
import { findTool } from '../test/helpers/externalTool.ts';
import { RedisServer } from '../test/helpers/redisServer.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hexplan-bench-sweep-'));
const now = () => performance.now();

function grid(name: string, body: Record<string, unknown>): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ schema: 'hexplan/grid@1', ...body }));
  return f;
}

function startWorker(url: string): Promise<ChildProcess> {
  const p = spawn(process.execPath, [`${root}bin/hexplan.js`, 'worker', '--queue', url], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr!.on('data', (d) => {
      err += d;
      if (/thread/.test(err)) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

/** CPU ms a child has used (Linux /proc: utime + stime, in clock ticks of 10 ms). */
function childCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** CPU ms redis-server has used, from INFO cpu. */
async function redisCpuMs(url: string): Promise<number> {
  const c = redisClient(url);
  await c.connect();
  const info = await c.info('cpu');
  c.disconnect();
  const get = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)![1]);
  return (get('used_cpu_user') + get('used_cpu_sys')) * 1000;
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

async function stopWorkers(ws: ChildProcess[]): Promise<void> {
  await Promise.all(
    ws.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function timedQueue(g: string, url: string): Promise<number> {
  const t0 = now();
  await runSweep(g, join(dir, `q-${Math.random().toString(36).slice(2)}.jsonl`), { queue: { url } });
  return now() - t0;
}

async function main() {
  const bin = findTool('redis-server');
  if (!bin) throw new Error('redis-server not found: apt-get install redis-server');
  const redis = await RedisServer.start(bin);
  const loadBefore = loadavg()[0]!;
  try {
    // 1. Overhead per job.
    const tiny = `${root}instances/workloads/tiny.json`;
    const hetero4 = `${root}instances/clusters/hetero-4.json`;
    const rates = Array.from({ length: 40 }, (_, i) => 1 + i / 10);
    const small = grid('overhead', {
      workloads: [tiny],
      clusters: [hetero4],
      policies: ['fcfs', 'hexagent', 'least-loaded'],
      modes: ['exact', 'realistic'],
      rate_multipliers: rates,
    });
    const jobs = 3 * 2 * rates.length;
    const warm = grid('warm', {
      workloads: [tiny],
      clusters: [hetero4],
      policies: ['edf'],
      rate_multipliers: [1, 2],
    });
    await runSweep(warm, join(dir, 'warm-local.jsonl'));
    const local: number[] = [];
    const queued: number[] = [];
    const localCpu: number[] = [];
    const queuedCpu: number[] = [];
    for (let r = 0; r < 3; r++) {
      let c0 = cpuMs();
      let t0 = now();
      await runSweep(small, join(dir, `local-${r}.jsonl`));
      local.push(now() - t0);
      localCpu.push(cpuMs() - c0);
      // A fresh database each run: finished jobs are kept, a rerun on the same one would be answered from Redis.
      const url = `${redis.url}/${5 + r}`;
      const w = await startWorker(url);
      await timedQueue(warm, url);
      const w0 = childCpuMs(w.pid!);
      const r0 = await redisCpuMs(url);
      c0 = cpuMs();
      t0 = now();
      queued.push(await timedQueue(small, url));
      // Collector (this process) + worker + redis-server: all the CPU the queue path spent.
      queuedCpu.push(cpuMs() - c0 + childCpuMs(w.pid!) - w0 + (await redisCpuMs(url)) - r0);
      await stopWorkers([w]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const overheadMs = (median(queued) - median(local)) / jobs;
    const overheadCpuMs = (median(queuedCpu) - median(localCpu)) / jobs;

    // 2. Speed-up with heavier cells.
    const hetero6 = `${root}instances/clusters/hetero-6.json`;
    const w = join(dir, 'w20000.json');
    execFileSync(process.execPath, [
      `${root}bin/hexplan.js`,
      'gen',
      '--family',
      'mixed',
      '-n',
      '20000',
      '--seed',
      '16',
      '--load',
      '1',
      '-c',
      hetero6,
      '-o',
      w,
    ]);
    const heavy = grid('heavy', {
      workloads: [w],
      clusters: [hetero6],
      policies: ['fcfs', 'hexagent', 'least-loaded', 'edf'],
      rate_multipliers: [1, 1.05, 1.1, 1.15],
    });
    const wall: Record<number, number> = {};
    for (const [k, n] of [1, 2].entries()) {
      const url = `${redis.url}/${2 + k}`;
      const ws = await Promise.all(Array.from({ length: n }, () => startWorker(url)));
      wall[n] = await timedQueue(heavy, url);
      await stopWorkers(ws);
    }
    const results = {
      machine: {
        cores: cpus().length,
        load_average_1m_before: loadBefore,
        load_average_1m_after: loadavg()[0],
      },
      overhead: {
        jobs,
        local_ms: local,
        queued_ms: queued,
        overhead_ms_per_job: overheadMs,
        local_cpu_ms: localCpu,
        queued_cpu_ms: queuedCpu,
        overhead_cpu_ms_per_job: overheadCpuMs,
        goal_ms: 10,
      },
      speedup: {
        cells: 16,
        wall_ms_1_worker: wall[1],
        wall_ms_2_workers: wall[2],
        speedup: wall[1]! / wall[2]!,
        goal: 1.8,
      },
    };
    mkdirSync(`${root}bench/results`, { recursive: true });
    writeFileAtomic(`${root}bench/results/sweep.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileAtomic(`${root}bench/results/sweep.md`, markdown(results));
    console.log(markdown(results));
  } finally {
    await redis.close();
  }
}

function markdown(r: {
  machine: { cores: number; load_average_1m_before: number; load_average_1m_after: number | undefined };
  overhead: {
    jobs: number;
    local_ms: number[];
    queued_ms: number[];
    overhead_ms_per_job: number;
    local_cpu_ms: number[];
    queued_cpu_ms: number[];
    overhead_cpu_ms_per_job: number;
    goal_ms: number;
  };
  speedup: {
    wall_ms_1_worker?: number;
    wall_ms_2_workers?: number;
    speedup: number;
    goal: number;
    cells: number;
  };
}): string {
  const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));
  const o = r.overhead;
  const s = r.speedup;
  return `# Sweep queue benchmark

Command: \`npx tsx bench/sweep.ts\` (own redis-server on a free loopback port, \`hexplan worker\` processes).
Machine: ${r.machine.cores} cores, 1-minute load average ${f(r.machine.load_average_1m_before, 2)} before, ${f(r.machine.load_average_1m_after, 2)} after (shared with other jobs).

## Queue overhead per job (goal < ${o.goal_ms} ms)

${o.jobs} cells of ~1 ms (tiny workload × hetero-4 × 3 policies × 2 modes × 40 loads), median of 3 runs.

| | runs (ms) | median (ms) |
|---|---|---|
| in process (\`runSweep\`, 1 thread) | ${o.local_ms.map((x) => f(x)).join(', ')} | ${f([...o.local_ms].sort((a, b) => a - b)[1])} |
| through Redis, 1 worker | ${o.queued_ms.map((x) => f(x)).join(', ')} | ${f([...o.queued_ms].sort((a, b) => a - b)[1])} |
| CPU, in process | ${o.local_cpu_ms.map((x) => f(x)).join(', ')} | ${f([...o.local_cpu_ms].sort((a, b) => a - b)[1])} |
| CPU, queue (collector + worker + redis-server) | ${o.queued_cpu_ms.map((x) => f(x)).join(', ')} | ${f([...o.queued_cpu_ms].sort((a, b) => a - b)[1])} |

**Overhead: ${f(o.overhead_ms_per_job, 2)} ms wall, ${f(o.overhead_cpu_ms_per_job, 2)} ms CPU per job** (enqueue, worker pick-up, input check, thread hop, result back, collection in grid order).

## 1 vs 2 workers (goal ≥ ${s.goal}×)

${s.cells} cells of 1–5 s (generated 20,000-workflow mixed workload at load 1 × hetero-6 × 4 policies × 4 loads), wall time from enqueue to the last line.

| workers | wall (ms) |
|---|---|
| 1 | ${f(s.wall_ms_1_worker)} |
| 2 | ${f(s.wall_ms_2_workers)} |

**Speed-up: ${s.speedup.toFixed(2)}×.**
`;
}

await main();
