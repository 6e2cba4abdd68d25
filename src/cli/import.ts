import { z } from 'zod';
import { writeFileAtomic } from '../io/files.ts';
import { importTrace } from '../workload/import/importTrace.ts';
import { workloadJsonBytes } from '../workload/import/jsonBytes.ts';
import { DEFAULT_BLOCK_TOKENS, DEFAULT_IMPORT_MODEL, IMPORT_SHAPES } from '../workload/import/options.ts';
import { importFormats } from '../workload/import/registry.ts';
import { renderSummary } from '../workload/import/summary.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag, registryFlag, seedFlag } from './options.ts';

export const importCommand = defineCommand({
  options: {
    file: flag(z.string().min(1), { describe: 'trace file', positional: true }),
    format: registryFlag(importFormats, 'trace format'),
    output: outputFlag('workload file to write', true),
    as: flag(z.enum(IMPORT_SHAPES).default('single'), {
      describe: 'azure/mooncake: one call per workflow, or rows poured into generated DAG shapes',
    }),
    family: flag(z.string().min(1).optional(), { describe: 'generator family for --as synthetic-dag' }),
    seed: seedFlag(),
    model: flag(z.string().min(1).default(DEFAULT_IMPORT_MODEL), {
      describe: 'catalog LLM the workflows run on',
    }),
    limit: flag(z.number().int().positive().optional(), {
      describe: 'import at most N rows (otel: N workflows)',
    }),
    timeScale: flag(z.number().positive().default(1), {
      describe: 'multiply arrival offsets (0.5 = twice as dense)',
    }),
    start: flag(z.number().nonnegative().default(0), {
      describe: 'window start, seconds after the first row',
    }),
    end: flag(z.number().positive().optional(), {
      describe: 'window end (exclusive), seconds after the first row',
    }),
    strict: flag(z.boolean().default(false), { describe: 'a bad row is an error (FILE:LINE), not skipped' }),
    blockTokens: flag(z.number().int().positive().default(DEFAULT_BLOCK_TOKENS), {
      describe: 'mooncake: tokens per hash block',
    }),
    maxPrefixBlocks: flag(z.number().int().positive().default(4_000_000), {
      describe: 'mooncake: most distinct hash blocks remembered for prefix matching (bounds memory)',
    }),
    csvParser: flag(z.enum(['split', 'csv-parse']).default('split'), {
      describe: 'azure: hand-rolled split of the fixed 3-column format, or csv-parse (same output, slower)',
    }),
    name: flag(z.string().min(1).optional(), {
      describe: 'workload name (default: the trace file name without extension)',
    }),
  },
  fieldFlags: {
    format: 'format',
    model: 'model',
    as: 'as',
    family: 'family',
    seed: 'seed',
    limit: 'limit',
    timeScale: 'time-scale',
    startS: 'start',
    endS: 'end',
    blockTokens: 'block-tokens',
    maxPrefixBlocks: 'max-prefix-blocks',
  },
  examples: [
    ['$0 import --format azure traces/azure-conv-sample.csv -o azure.json', 'one call per row'],
    [
      '$0 import --format azure traces/azure-conv-sample.csv --as synthetic-dag --family react --seed 7 -o w.json',
      'real arrivals and lengths in generated DAGs',
    ],
  ],
  run: async (argv, ctx) => {
    const bar = ctx.progress('import', 100);
    let result: Awaited<ReturnType<typeof importTrace>>;
    try {
      result = await importTrace(argv.file, {
        format: argv.format,
        model: argv.model,
        as: argv.as,
        family: argv.family,
        seed: argv.seed,
        limit: argv.limit,
        timeScale: argv.timeScale,
        startS: argv.start,
        endS: argv.end,
        strict: argv.strict,
        blockTokens: argv.blockTokens,
        maxPrefixBlocks: argv.maxPrefixBlocks,
        csvParser: argv.csvParser,
        name: argv.name,
        onProgress: (f) => bar.update(Math.min(100, Math.round(f * 100))),
      });
    } finally {
      bar.stop();
    }
    // Atomic (temp file + rename), and one workflow per line past 200 workflows, as `gen` writes:
    // a million-row import stays a compact file that still diffs line by line.
    writeFileAtomic(argv.output, workloadJsonBytes(result.workload));
    ctx.info(renderSummary(result.summary));
    const s = result.summary;
    ctx.emit('import-result', { ok: true, output: argv.output, summary: s }, () => {
      return `wrote ${argv.output}: ${s.workflows} workflows, ${s.calls} calls (${s.rows_skipped} rows skipped)`;
    });
  },
});
