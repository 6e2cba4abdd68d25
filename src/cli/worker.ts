import { z } from 'zod';
import { runQueueWorker } from '../analysis/sweep/queue/worker.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { queueNameFlag } from './options.ts';

export const workerCommand = defineCommand({
  options: {
    queue: flag(z.string().min(1), { describe: 'redis://HOST:PORT[/DB] of the sweep queue' }),
    queueName: queueNameFlag(),
    concurrency: flag(z.number().int().positive().default(1), {
      describe: 'cells run at once, one thread each',
    }),
    lockMs: flag(z.number().int().gte(100).default(30_000), {
      describe:
        'job lock duration, ms: a killed worker’s cell is run again by another worker within about twice this',
    }),
  },
  fieldFlags: { queue: 'queue', concurrency: 'concurrency', lockDurationMs: 'lock-ms' },
  examples: [['$0 worker --queue redis://127.0.0.1:6379 --concurrency 2', 'serve sweep cells until Ctrl-C']],
  run: async (o, ctx) => {
    // Ctrl-C lets the running cells finish (their lines are wanted), then the worker leaves.
    const stop = new AbortController();
    const onSignal = () => {
      ctx.info('worker: finishing running cells, then stopping');
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runQueueWorker({
        queue: { url: o.queue, ...(o.queueName ? { name: o.queueName } : {}) },
        concurrency: o.concurrency,
        lockDurationMs: o.lockMs,
        stalledIntervalMs: Math.max(100, Math.round(o.lockMs / 2)),
        onEvent: (m) => ctx.info(`worker: ${m}`),
        signal: stop.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
});
