import { Redis, type RedisOptions } from 'ioredis';
import { HexplanError } from '../../../errors.ts';
import type { Cell } from '../cells.ts';

/** Where the sweep queue lives. */
export interface QueueOptions {
  /** `redis://[:PASSWORD@]HOST[:PORT][/DB]`. */
  url: string;
  /** BullMQ queue name (default `hexplan-sweep`): sweeps on one Redis may share it, jobs are keyed by their inputs. */
  name?: string;
  /** How long the collector keeps retrying an unreachable Redis before it stops with an error (default 30). */
  unreachableS?: number;
}

export const DEFAULT_QUEUE_NAME = 'hexplan-sweep';

/** ioredis options from a redis:// URL; a malformed URL is a user error naming the `queue` field. */
export function connectionFor(url: string): RedisOptions & { host: string; port: number } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new HexplanError(`queue: expected redis://HOST:PORT[/DB], got "${url}"`, { field: 'queue' });
  }
  if (u.protocol !== 'redis:' || u.hostname === '')
    throw new HexplanError(`queue: expected redis://HOST:PORT[/DB], got "${url}"`, { field: 'queue' });
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new HexplanError(`queue: database must be a number, got "${db}"`, { field: 'queue' });
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? 6379 : Number(u.port),
    ...(db !== '' ? { db: Number(db) } : {}),
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
  };
}

/**
 * A client for BullMQ. BullMQ loads ioredis itself only under CommonJS; under ESM it must be
 * handed a constructed client. `lazyConnect` so a bad address surfaces in the caller's retry loop.
 */
export function redisClient(url: string, extra: RedisOptions = {}): Redis {
  const client = new Redis({ ...connectionFor(url), lazyConnect: true, ...extra });
  // ioredis reports every failed reconnect on 'error'; callers decide when an outage is fatal.
  client.on('error', () => {});
  return client;
}

/** What a job carries: the cell, and what the worker must match before running it. */
export interface CellJobData {
  cell: Cell;
  version: string;
  /** SHA-256 of each file the cell reads, by path as opened. */
  inputs: Record<string, string>;
}

/** What a finished job returns. */
export interface CellJobResult {
  line: string;
  worker: string;
  elapsedMs: number;
}
