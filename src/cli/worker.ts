import type { CommandModule } from 'yargs';
import { runQueueWorker } from '../analysis/sweep/queue/worker.ts';
import { HexplanError } from '../errors.ts';
import { info } from './common.ts';

interface Args {
  queue: string;
  'queue-name'?: string;
  concurrency: number;
  'lock-ms': number;
}

export const workerCommand: CommandModule<object, Args> = {
  command: 'worker',
  builder: (y) =>
    y
      .option('queue', {
        type: 'string',
        demandOption: true,
        describe: 'redis://HOST:PORT[/DB] of the sweep queue',
      })
      .option('queue-name', { type: 'string', describe: 'queue name on that Redis (default hexplan-sweep)' })
      .option('concurrency', { type: 'number', default: 1, describe: 'cells run at once, one thread each' })
      .option('lock-ms', {
        type: 'number',
        default: 30_000,
        describe:
          'job lock duration: a killed worker’s cell is run again by another worker within about twice this',
      })
      .example(
        '$0 worker --queue redis://127.0.0.1:6379 --concurrency 2',
        'serve sweep cells until Ctrl-C',
      ) as never,
  handler: async (argv) => {
    if (!(argv['lock-ms'] >= 100)) throw new HexplanError(`--lock-ms: at least 100, got ${argv['lock-ms']}`);
    const stop = new AbortController();
    const onSignal = () => {
      info('worker: finishing running cells, then stopping');
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    await runQueueWorker({
      queue: { url: argv.queue, ...(argv['queue-name'] ? { name: argv['queue-name'] } : {}) },
      concurrency: argv.concurrency,
      lockDurationMs: argv['lock-ms'],
      stalledIntervalMs: Math.max(100, Math.round(argv['lock-ms'] / 2)),
      onEvent: (m) => info(`worker: ${m}`),
      signal: stop.signal,
    });
  },
};
