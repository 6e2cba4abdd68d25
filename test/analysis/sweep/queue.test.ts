import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridCells } from '../../../src/analysis/sweep/cells.ts';
import { loadGrid } from '../../../src/analysis/sweep/grid.ts';
import { cellJob, collectFromQueue } from '../../../src/analysis/sweep/queue/collect.ts';
import { redisClient } from '../../../src/analysis/sweep/queue/connection.ts';
import { ScenarioCache } from '../../../src/analysis/sweep/runCell.ts';
import { runSweep } from '../../../src/analysis/sweep/sweep.ts';
import { HexplanError } from '../../../src/errors.ts';
import { findTool, inCi } from '../../helpers/externalTool.ts';
import { freePort, RedisServer } from '../../helpers/redisServer.ts';

let GRID = '';
const SMALL_GRID = 'test/fixtures/sweep/example-grid.json';
const REDIS = findTool('redis-server');
const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
const lineCount = (f: string) =>
  read(f)
    .split('\n')
    .filter((l) => l.endsWith('}')).length;

/** `hexplan ARGS` as a child process (its own PID, so kill -9 hits it alone). */
function hexplan(args: string[]): ChildProcess & { stderrText: () => string; done: Promise<number> } {
  const p = spawn(process.execPath, ['bin/hexplan.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => {
    err += d;
  });
  p.stdout!.resume();
  const done = new Promise<number>((resolve) =>
    p.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return Object.assign(p, { stderrText: () => err, done });
}

async function until(
  what: string,
  test: () => boolean | Promise<boolean>,
  timeoutMs = 90_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

if (!REDIS && inCi())
  it('redis-server is installed (.ci/run installs it with apt-get)', () => {
    throw new Error('redis-server not found on PATH under CI=true');
  });

describe.skipIf(!REDIS)('sweep through a real Redis (BullMQ)', () => {
  let redis: RedisServer;
  let reference: string;
  const procs: ChildProcess[] = [];
  const start = (args: string[]) => {
    const p = hexplan(args);
    procs.push(p);
    return p;
  };
  const worker = (url: string) => start(['worker', '--queue', url, '--lock-ms', '1000']);

  beforeAll(async () => {
    redis = await RedisServer.start(REDIS!);
    // Cells of 0.3–1.5 s (8.5k calls at load 1): long enough to kill a worker mid-cell, short enough for CI.
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-qgrid-'));
    const cluster = resolve('instances/clusters/hetero-6.json');
    execFileSync(process.execPath, [
      'bin/hexplan.js',
      'gen',
      '--family',
      'mixed',
      '-n',
      '2000',
      '--seed',
      '16',
      '--load',
      '1',
      '-c',
      cluster,
      '-o',
      join(dir, 'w.json'),
    ]);
    GRID = join(dir, 'grid.json');
    writeFileSync(
      GRID,
      JSON.stringify({
        schema: 'hexplan/grid@1',
        workloads: ['w.json'],
        clusters: [cluster],
        policies: ['fcfs', 'hexagent'],
        rate_multipliers: [1, 1.2],
      }),
    );
    const out = join(mkdtempSync(join(tmpdir(), 'hexplan-ref-')), 'r.jsonl');
    await runSweep(GRID, out);
    reference = read(out);
  });
  afterAll(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await redis?.close();
  });

  it('two workers, one killed -9 mid-cell, the collector killed -9 and restarted: every cell once, the in-process bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-q-'));
    const out = join(dir, 'r.jsonl');
    const url = `${redis.url}/1`;
    const w1 = worker(url);
    const w2 = worker(url);
    await until(
      'both workers ready',
      () => /worker .*: 1 thread/.test(w1.stderrText() + w2.stderrText()) && /1 thread/.test(w2.stderrText()),
    );
    const c1 = start(['sweep', '--grid', GRID, '-o', out, '--queue', url]);

    // Kill w1 while Redis shows it holding a cell.
    const client = redisClient(url);
    const queue = new Queue('hexplan-sweep', { connection: client });
    const w1Name = `:${w1.pid}`;
    let killedKey = '';
    await until('w1 holding a cell', async () => {
      const active = await queue.getActive();
      const mine = active.find((j) => j.processedBy?.endsWith(w1Name));
      if (mine) killedKey = mine.data.cell.key;
      return mine !== undefined;
    });
    w1.kill('SIGKILL');
    await sleep(100);
    // Still active: nobody but the dead worker could finish it, so only the stalled-job check brings it back.
    expect((await queue.getActive()).some((j) => j.data.cell.key === killedKey)).toBe(true);

    await until('a first line', () => lineCount(out) >= 1);
    c1.kill('SIGKILL');
    await c1.done;
    const c2 = start(['sweep', '--grid', GRID, '-o', out, '--queue', url, '--json']);
    expect(await c2.done).toBe(0);
    expect(c2.stderrText()).toMatch(/skipped as done/);

    expect(read(out)).toBe(reference);
    const keys = read(out)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l).key);
    expect(new Set(keys).size).toBe(keys.length);
    const timings = read(join(dir, 'r.timings.jsonl'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const killed = timings.find((t) => t.key === killedKey);
    expect(killed.attempts).toBeGreaterThanOrEqual(2);
    expect(killed.worker).toBe(`${killed.worker.split(':')[0]}:${w2.pid}`);
    // Finished jobs are kept: the same sweep to another file is answered from Redis at once.
    const again = join(dir, 'again.jsonl');
    const c3 = start(['sweep', '--grid', GRID, '-o', again, '--queue', url]);
    expect(await c3.done).toBe(0);
    expect(read(again)).toBe(reference);
    await queue.close();
    client.disconnect();
    w2.kill('SIGTERM');
    expect(await w2.done).toBe(0);
  }, 240_000);

  it('enqueueing twice is a no-op: a job id is the hash of the canonical inputs', async () => {
    const cells = gridCells(loadGrid(SMALL_GRID));
    const cache = new ScenarioCache();
    const ids = cells.map((c) => cellJob(c, cache).id);
    expect(new Set(ids).size).toBe(cells.length);
    expect(cells.map((c) => cellJob(c, new ScenarioCache()).id)).toEqual(ids);
    const client = redisClient(`${redis.url}/2`);
    const queue = new Queue('hexplan-sweep', { connection: client });
    for (let k = 0; k < 2; k++)
      await queue.addBulk(
        cells.map((c) => ({
          name: c.kind,
          data: cellJob(c, cache).data,
          opts: { jobId: cellJob(c, cache).id },
        })),
      );
    expect(await queue.count()).toBe(cells.length);
    await queue.obliterate({ force: true });
    await queue.close();
    client.disconnect();
  });

  it('Redis restarted (all jobs lost) mid-sweep: the collector re-enqueues, the workers reconnect, the file is right', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hexplan-q-')), 'r.jsonl');
    const url = `${redis.url}/3`;
    const w = worker(url);
    await until('worker ready', () => /1 thread/.test(w.stderrText()));
    const c = start(['sweep', '--grid', GRID, '-o', out, '--queue', url]);
    await until('a first line', () => lineCount(out) >= 1);
    await redis.stop();
    await sleep(1500);
    await redis.start();
    expect(await c.done).toBe(0);
    expect(read(out)).toBe(reference);
    expect(w.stderrText()).toMatch(/reconnect/);
    w.kill('SIGTERM');
    await w.done;
  }, 240_000);

  it('Redis gone for good: a clear HexplanError after the grace time, and only whole lines written', async () => {
    const cells = gridCells(loadGrid(SMALL_GRID)).slice(0, 2);
    const port = await freePort();
    const lines: string[] = [];
    const run = collectFromQueue(cells, { url: `redis://127.0.0.1:${port}`, unreachableS: 1 }, (_, l) =>
      lines.push(l),
    );
    await expect(run).rejects.toBeInstanceOf(HexplanError);
    await expect(run).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port} unreachable for 1 s`));
    expect(lines).toEqual([]);
  });
});
