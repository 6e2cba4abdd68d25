import { SingleBar } from 'cli-progress';
import type { CommandModule } from 'yargs';
import { writeFileAtomic } from '../io/files.ts';
import { importTrace } from '../workload/import/importTrace.ts';
import { workloadJsonBytes } from '../workload/import/jsonBytes.ts';
import {
  DEFAULT_BLOCK_TOKENS,
  DEFAULT_IMPORT_MODEL,
  IMPORT_SHAPES,
  type ImportFormat,
  type ImportShape,
} from '../workload/import/options.ts';
import { importFormats } from '../workload/import/registry.ts';
import { renderSummary } from '../workload/import/summary.ts';
import { emit, info, progressEnabled } from './common.ts';

interface Args {
  file: string;
  format: ImportFormat;
  output: string;
  as: ImportShape;
  family?: string;
  model: string;
  limit?: number;
  'time-scale': number;
  start: number;
  end?: number;
  strict: boolean;
  'block-tokens': number;
  'max-prefix-blocks': number;
  'csv-parser': 'split' | 'csv-parse';
  name?: string;
  json: boolean;
  seed: number;
}

export const importCommand: CommandModule<object, Args> = {
  command: 'import <file>',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'trace file' })
      .option('format', {
        type: 'string',
        choices: importFormats(),
        demandOption: true,
        describe: 'trace format',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'workload file to write',
      })
      .option('as', {
        type: 'string',
        choices: IMPORT_SHAPES,
        default: 'single',
        describe: 'azure/mooncake: one call per workflow, or rows poured into generated DAG shapes',
      })
      .option('family', { type: 'string', describe: 'generator family for --as synthetic-dag' })
      .option('model', {
        type: 'string',
        default: DEFAULT_IMPORT_MODEL,
        describe: 'catalog LLM the workflows run on',
      })
      .option('limit', { type: 'number', describe: 'import at most N rows (otel: N workflows)' })
      .option('time-scale', {
        type: 'number',
        default: 1,
        describe: 'multiply arrival offsets (0.5 = twice as dense)',
      })
      .option('start', { type: 'number', default: 0, describe: 'window start, seconds after the first row' })
      .option('end', { type: 'number', describe: 'window end (exclusive), seconds after the first row' })
      .option('strict', {
        type: 'boolean',
        default: false,
        describe: 'a bad row is an error (FILE:LINE), not skipped',
      })
      .option('block-tokens', {
        type: 'number',
        default: DEFAULT_BLOCK_TOKENS,
        describe: 'mooncake: tokens per hash block',
      })
      .option('max-prefix-blocks', {
        type: 'number',
        default: 4_000_000,
        describe: 'mooncake: most distinct hash blocks remembered for prefix matching (bounds memory)',
      })
      .option('csv-parser', {
        type: 'string',
        choices: ['split', 'csv-parse'] as const,
        default: 'split',
        describe: 'azure: hand-rolled split of the fixed 3-column format, or csv-parse (same output, slower)',
      })
      .option('name', {
        type: 'string',
        describe: 'workload name (default: the trace file name without extension)',
      })
      .example(
        '$0 import --format azure ../shared/traces/azure-llm-2023-conv.csv -o azure.json',
        'one call per row',
      )
      .example(
        '$0 import --format azure trace.csv --as synthetic-dag --family react --seed 7 -o w.json',
        'real arrivals and lengths in generated DAGs',
      ) as never,
  handler: async (argv) => {
    const bar = progressEnabled()
      ? new SingleBar({ format: 'import [{bar}] {percentage}%', hideCursor: true })
      : null;
    bar?.start(100, 0);
    let result: Awaited<ReturnType<typeof importTrace>>;
    try {
      result = await importTrace(argv.file, {
        format: argv.format,
        model: argv.model,
        as: argv.as,
        family: argv.family,
        seed: argv.seed,
        limit: argv.limit,
        timeScale: argv['time-scale'],
        startS: argv.start,
        endS: argv.end,
        strict: argv.strict,
        blockTokens: argv['block-tokens'],
        maxPrefixBlocks: argv['max-prefix-blocks'],
        csvParser: argv['csv-parser'],
        name: argv.name,
        onProgress: bar ? (f) => bar.update(Math.min(100, Math.round(f * 100))) : undefined,
      });
    } finally {
      bar?.stop();
    }
    // Atomic (temp file + rename), and one workflow per line past 200 workflows, as `gen` writes:
    // a million-row import stays a compact file that still diffs line by line.
    writeFileAtomic(argv.output, workloadJsonBytes(result.workload));
    info(renderSummary(result.summary));
    const s = result.summary;
    emit(argv.json, { ok: true, output: argv.output, summary: s }, () => {
      return `wrote ${argv.output}: ${s.workflows} workflows, ${s.calls} calls (${s.rows_skipped} rows skipped)`;
    });
  },
};
