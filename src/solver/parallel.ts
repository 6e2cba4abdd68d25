import { availableParallelism } from 'node:os';

/** Solves run at once, each in its own worker thread (workerClient.ts keeps two idle). */
export const PARALLEL_SOLVES = Math.max(1, Math.min(2, availableParallelism()));

/**
 * `fn` over `items`, `PARALLEL_SOLVES` at a time, results in the items' order: independent
 * solves overlap on a multi-core machine and the outcome does not depend on which ends first.
 */
export async function mapInBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += PARALLEL_SOLVES)
    out.push(...(await Promise.all(items.slice(i, i + PARALLEL_SOLVES).map(fn))));
  return out;
}
