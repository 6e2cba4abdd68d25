import { setTimeout as sleep } from 'node:timers/promises';
import { Job, Queue, QueueEvents } from 'bullmq';
import { HexplanError } from '../../../errors.ts';
import { canonicalJson } from '../canonicalJson.ts';
import { type Cell, keyId } from '../cells.ts';
import { hexplanVersion } from '../inputs.ts';
import { cellFiles } from '../runCell.ts';
import { ScenarioCache } from '../scenarioCache.ts';
import type { OnLine } from '../timing.ts';
import {
  type CellJobData,
  type CellJobResult,
  connectionFor,
  DEFAULT_QUEUE_NAME,
  type QueueOptions,
  redisClient,
} from './connection.ts';

/** Longest wait between looks at the next cell when no completion event arrives (events can be lost across a Redis restart). */
const POLL_MS = 200;
const ENQUEUE_BATCH = 500;
const KEEP_S = 7 * 24 * 3600;

/** A job's data and id: the id is a hash of the cell's canonical inputs, so enqueueing twice is a no-op. */
export function cellJob(cell: Cell, cache: ScenarioCache): { id: string; data: CellJobData } {
  const inputs = Object.fromEntries(cellFiles(cell).map(([, path]) => [path, cache.sha256(path)]));
  const data: CellJobData = { cell, version: hexplanVersion(), inputs };
  return { id: keyId(canonicalJson({ key: cell.key, version: data.version, inputs })), data };
}

/**
 * Enqueues `cells` (idempotently) and hands each finished line to `onLine` in the cells'
 * order. Safe to kill and start again at any point:
 * lines already written are not enqueued again by the caller, jobs already queued are kept,
 * finished jobs wait in Redis until collected. A job missing from Redis (Redis restarted
 * without its data) is enqueued again; a line is accepted only from a completed job whose line
 * carries the cell's own key. Redis unreachable for `unreachableS` → HexplanError.
 */
export async function collectFromQueue(
  cells: readonly Cell[],
  options: QueueOptions,
  onLine: OnLine,
): Promise<void> {
  if (cells.length === 0) return;
  const startedAt = Date.now();
  const connection = connectionFor(options.url);
  const where = `redis://${connection.host}:${connection.port}`;
  const unreachableMs = (options.unreachableS ?? 30) * 1000;
  const client = redisClient(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => 200,
  });
  const queue = new Queue<CellJobData, CellJobResult>(options.name ?? DEFAULT_QUEUE_NAME, {
    connection: client,
    // Finished jobs stay a week: the same cell enqueued again (another output file, a rerun) is
    // answered at once, and BullMQ prunes them by age as later jobs complete.
    defaultJobOptions: { attempts: 1, removeOnComplete: { age: KEEP_S }, removeOnFail: { age: KEEP_S } },
  });
  // ioredis reports every failed reconnect; the retry loop below decides when it is fatal.
  queue.on('error', () => {});
  // Completion events wake the collector at once; without them it would sleep up to POLL_MS per cell.
  const eventsClient = redisClient(options.url, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
  const events = new QueueEvents(options.name ?? DEFAULT_QUEUE_NAME, {
    connection: eventsClient,
    autorun: false,
  });
  events.on('error', () => {});
  let wake: (() => void) | null = null;
  const onFinished = () => {
    wake?.();
    wake = null;
  };
  events.on('completed', onFinished);
  events.on('failed', onFinished);
  const nextEvent = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const cache = new ScenarioCache();
  const jobs = cells.map((c) => cellJob(c, cache));
  let lastOk = Date.now();
  const withRedis = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        const v = await f();
        lastOk = Date.now();
        return v;
      } catch (err) {
        if (!isConnectionError(err)) throw err;
        if (Date.now() - lastOk > unreachableMs)
          throw new HexplanError(
            `queue: ${where} unreachable for ${Math.round(unreachableMs / 1000)} s while ${what} (${(err as Error).message}); every finished cell is in the results file: run the same command again to resume`,
          );
        await sleep(200);
      }
    }
  };
  const add = (batch: typeof jobs) =>
    withRedis('enqueueing', () =>
      queue.addBulk(batch.map((j) => ({ name: j.data.cell.kind, data: j.data, opts: { jobId: j.id } }))),
    );
  try {
    await withRedis('connecting', async () => {
      if (client.status === 'wait') await client.connect();
      await queue.waitUntilReady();
    });
    void events.run().catch(() => {});
    for (let i = 0; i < jobs.length; i += ENQUEUE_BATCH) await add(jobs.slice(i, i + ENQUEUE_BATCH));
    // A cell that failed before this collection started is run again rather than reported stale.
    const retried = new Set<string>();
    const redone = new Set<string>();
    for (const [i, { id }] of jobs.entries()) {
      for (;;) {
        // State first, then the job: read the other way round, a job finishing in between
        // would look completed without its return value.
        const state = await withRedis('collecting', () => queue.getJobState(id));
        if (
          state === 'waiting' ||
          state === 'active' ||
          state === 'delayed' ||
          state === 'prioritized' ||
          state === 'waiting-children'
        ) {
          await nextEvent();
          continue;
        }
        const job = await withRedis('collecting', () => Job.fromId<CellJobData, CellJobResult>(queue, id));
        if (!job || state === 'unknown') {
          await add([jobs[i]!]);
          continue;
        }
        if (state === 'completed') {
          const result = job.returnvalue;
          const cell = cells[i]!;
          if (!result || typeof result.line !== 'string' || lineKey(result.line) !== cell.key) {
            // Never a wrong line: a completed job without this cell's line is run again, once.
            if (redone.has(id))
              throw new Error(
                `queue: job ${id} completed twice without the line of ${cell.key}: ${JSON.stringify(result)?.slice(0, 200)}`,
              );
            redone.add(id);
            await withRedis('re-enqueueing', () => job.remove());
            continue;
          }
          onLine(i, result.line, {
            elapsed_ms: result.elapsedMs,
            worker: result.worker,
            attempts: job.attemptsStarted ?? job.attemptsMade,
          });
          break;
        }
        if (state === 'failed') {
          if (!retried.has(id) && (job.finishedOn ?? 0) < startedAt) {
            retried.add(id);
            await withRedis('retrying', () => job.retry('failed'));
            continue;
          }
          throw new HexplanError(`sweep cell ${cells[i]!.key}: ${job.failedReason}`);
        }
        await sleep(POLL_MS);
      }
    }
  } finally {
    await Promise.all([queue.close().catch(() => {}), events.close().catch(() => {})]);
    client.disconnect();
    eventsClient.disconnect();
  }
}

/** Errors that mean Redis is (for now) out of reach, as opposed to a bug or a bad reply. */
function isConnectionError(err: unknown): boolean {
  const msg = err instanceof Error ? `${(err as { code?: string }).code ?? ''} ${err.message}` : '';
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|max retries|enableOfflineQueue|MaxRetriesPerRequest/i.test(
    msg,
  );
}

function lineKey(line: string): string | null {
  try {
    return (JSON.parse(line) as { key?: string }).key ?? null;
  } catch {
    return null;
  }
}
