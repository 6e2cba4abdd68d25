import type { QueueWorkerOptions } from './worker.ts';

/**
 * `runQueueWorker`, with BullMQ and ioredis loaded on the first call rather than when the
 * library is imported (they are most of a second of start-up that only queue workers need).
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const { runQueueWorker: run } = await import('./worker.ts');
  return run(options);
}
