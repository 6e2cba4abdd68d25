import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { HexplanError } from '../../../errors.ts';
import { workerEntry } from '../../../util/workerEntry.ts';
import { fileSha256, hexplanVersion } from '../inputs.ts';
import type { SweepJob, SweepReply } from '../worker.ts';
import {
  type CellJobData,
  type CellJobResult,
  connectionFor,
  DEFAULT_QUEUE_NAME,
  type QueueOptions,
  redisClient,
} from './connection.ts';

export interface QueueWorkerOptions {
  queue: QueueOptions;
  /** Cells run at once, each on its own thread (default 1). */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (default 30 000 ms). A worker killed mid-job
   * loses its lock after this long, and a live worker puts the job back within
   * `stalledIntervalMs` more: the retry the queue promises.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Called with one line per event (ready, a job done or failed). */
  onEvent?: (message: string) => void;
  /** Resolves the returned promise once set: the worker finishes its running cells, then stops. */
  signal?: AbortSignal;
}

/** Times a job may be found stalled (its worker gone) and put back before the queue fails it. */
const MAX_STALLED = 5;

/**
 * `hexplan worker`: takes sweep cells from the queue until `signal` aborts. Each cell runs on a
 * thread, so this thread keeps renewing the job's lock however long the cell computes. A job
 * from another hexplan version, or whose input files differ on this machine, fails for good
 * (retrying cannot fix it) with a message saying which.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new HexplanError(`concurrency: expected a positive integer, got ${concurrency}`, {
      field: 'concurrency',
    });
  connectionFor(options.queue.url); // a malformed URL fails here, before any thread starts
  const say = options.onEvent ?? (() => {});
  const me = `${hostname()}:${process.pid}`;
  const threads = new CellThreads();
  const hashes = new Map<string, { stamp: string; sha: string }>();
  const sha256 = (path: string): string | null => {
    if (!existsSync(path)) return null;
    const st = statSync(path);
    const stamp = `${st.size}:${st.mtimeMs}`;
    const hit = hashes.get(path);
    if (hit?.stamp === stamp) return hit.sha;
    const sha = fileSha256(path);
    hashes.set(path, { stamp, sha });
    return sha;
  };

  const process_ = async (job: Job<CellJobData, CellJobResult>): Promise<CellJobResult> => {
    const { cell, version, inputs } = job.data;
    if (version !== hexplanVersion())
      throw new UnrecoverableError(`queued by hexplan ${version}, this worker is ${hexplanVersion()}`);
    for (const [path, sha] of Object.entries(inputs)) {
      const local = sha256(path);
      if (local === null)
        throw new UnrecoverableError(
          `${path}: (file): not found on worker ${me} (workers open input files by the same paths, from the same directory, as the sweep)`,
        );
      if (local !== sha)
        throw new UnrecoverableError(`${path}: (file): differs on worker ${me} from the sweep's copy`);
    }
    const reply = await threads.run(cell);
    if (reply.type === 'error') throw new UnrecoverableError(reply.message);
    return { line: reply.line, worker: me, elapsedMs: reply.elapsedMs };
  };

  const client = redisClient(options.queue.url, { maxRetriesPerRequest: null, lazyConnect: false });
  const worker = new Worker<CellJobData, CellJobResult>(options.queue.name ?? DEFAULT_QUEUE_NAME, process_, {
    connection: client,
    // Recorded on each job as processedBy: which machine and process ran (or holds) it.
    name: me,
    concurrency,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: MAX_STALLED,
    autorun: false,
  });
  worker.on('completed', (job) => say(`done ${job.data.cell.key}`));
  worker.on('failed', (job, err) =>
    say(`failed ${job?.data.cell.key ?? '?'}: ${err.message.split('\n')[0]}`),
  );
  // ioredis reconnects by itself; say so once per outage instead of a stack per retry.
  let down = false;
  worker.on('error', (err) => {
    if (!down) say(`redis: ${err.message}; reconnecting`);
    down = true;
  });
  worker.on('ready', () => {
    if (down) say('redis: reconnected');
    down = false;
  });
  const stopped = new Promise<void>((resolve) => {
    const stop = () => void worker.close().then(resolve, resolve);
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    await worker.waitUntilReady();
    say(`worker ${me}: ${concurrency} thread${concurrency === 1 ? '' : 's'} on ${options.queue.url}`);
    void worker.run();
    await stopped;
  } finally {
    await worker.close().catch(() => {});
    client.disconnect();
    await threads.close();
  }
}

/** Threads running one cell each, created on demand and kept for the next cell (files stay cached). */
class CellThreads {
  private readonly idle: ThreadWorker[] = [];
  private readonly all = new Set<ThreadWorker>();

  async run(cell: CellJobData['cell']): Promise<SweepReply> {
    const t = this.idle.pop() ?? this.spawn();
    return new Promise<SweepReply>((resolve, reject) => {
      const onMessage = (m: SweepReply) => {
        cleanup();
        this.idle.push(t);
        resolve(m);
      };
      const onExit = (code: number) => {
        cleanup();
        this.all.delete(t);
        reject(new Error(`cell thread exited with code ${code}`));
      };
      const cleanup = () => {
        t.off('message', onMessage);
        t.off('exit', onExit);
      };
      t.on('message', onMessage);
      t.on('exit', onExit);
      const job: SweepJob = { index: 0, cell };
      t.postMessage(job);
    });
  }

  private spawn(): ThreadWorker {
    // The sweep's cell thread (../worker.ts), started the way the in-process pool starts it.
    const sibling = new URL(import.meta.url.endsWith('.ts') ? '../pool.ts' : '../pool.js', import.meta.url);
    const t = new ThreadWorker(workerEntry(sibling.href, 'worker'));
    t.on('error', () => {}); // surfaces as 'exit', which fails the job
    this.all.add(t);
    return t;
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((t) => t.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}
