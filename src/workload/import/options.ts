import { optionError } from '../../errors.ts';
import { loadCatalog, requireLlm } from '../../profile/catalog.ts';

/** A trace format's name: the importer registry (registry.ts) says which exist. */
export type ImportFormat = string;

/** How row traces (one request per row) become workflows. */
export const IMPORT_SHAPES = ['single', 'synthetic-dag'] as const;
export type ImportShape = (typeof IMPORT_SHAPES)[number];

/** The model the bundled clusters serve, so an import runs on them without options. */
export const DEFAULT_IMPORT_MODEL = 'Qwen2.5-32B';
/** Mooncake's hash blocks: 512 tokens each in the published traces. */
export const DEFAULT_BLOCK_TOKENS = 512;

export interface ImportOptions {
  format: ImportFormat;
  /** LLM every workflow runs on; must be in the catalog. */
  model?: string;
  /** Row formats: one call per workflow, or rows poured into generated DAG shapes. */
  as?: ImportShape;
  /** Generator family for `as: 'synthetic-dag'`. */
  family?: string;
  seed?: number;
  /** Keep at most this many rows (azure, mooncake) or workflows (otel). */
  limit?: number;
  /** Multiplies every arrival offset: 0.5 makes arrivals twice as dense. */
  timeScale?: number;
  /** Window in seconds relative to the first row: [startS, endS). */
  startS?: number;
  endS?: number;
  /** Any bad record is an error naming its line, instead of being skipped and counted. */
  strict?: boolean;
  /** Mooncake tokens per hash block. */
  blockTokens?: number;
  /** Mooncake: most distinct prefix blocks remembered (bounds memory). */
  maxPrefixBlocks?: number;
  /**
   * Azure: `split` (default), a hand-rolled split of the fixed 3-column, quote-free format, or
   * csv-parse's streaming parser. Both give identical workloads (tested); split costs about
   * half the CPU per row (bench/results/import.md), which decides the default.
   */
  csvParser?: 'csv-parse' | 'split';
  name?: string;
  onProgress?: (fraction: number) => void;
}

/** What option resolution needs to know of the chosen importer. */
export interface ImportFormatTraits {
  name: string;
  /** One request per row (so `as: synthetic-dag` applies); false for formats with their own DAGs. */
  rowFormat: boolean;
  /** Import settings of this format worth recording in the workload's meta. */
  meta?(o: ResolvedImportOptions): Record<string, unknown>;
}

export interface ResolvedImportOptions {
  format: ImportFormat;
  rowFormat: boolean;
  model: string;
  as: ImportShape;
  family: string | undefined;
  seed: number;
  limit: number;
  timeScale: number;
  startS: number;
  endS: number | undefined;
  strict: boolean;
  blockTokens: number;
  maxPrefixBlocks: number;
  csvParser: 'csv-parse' | 'split';
  name: string | undefined;
  onProgress: ((fraction: number) => void) | undefined;
  /** The format's own settings for the workload's meta (ImportFormatTraits.meta). */
  extraMeta: Record<string, unknown>;
}

function positive(name: string, v: number | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v)))
    throw optionError(name, `must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  return v;
}

/** Checks options once, at the edge; messages name the option field (the CLI maps it to its flag). */
export function resolveImportOptions(o: ImportOptions, format: ImportFormatTraits): ResolvedImportOptions {
  const model = o.model ?? DEFAULT_IMPORT_MODEL;
  requireLlm(loadCatalog(), model, 'model');
  const as = o.as ?? 'single';
  if (!IMPORT_SHAPES.includes(as))
    throw optionError('as', `unknown "${as}" (known: ${IMPORT_SHAPES.join(', ')})`);
  if (!format.rowFormat && as !== 'single')
    throw optionError('as', `must be "single": ${format.name} traces carry their own DAG structure`);
  if (as === 'synthetic-dag' && !o.family)
    throw optionError('family', 'is required when as is "synthetic-dag"');
  if (as === 'single' && o.family) throw optionError('family', 'only applies when as is "synthetic-dag"');
  const startS = o.startS ?? 0;
  if (!Number.isFinite(startS) || startS < 0)
    throw optionError('startS', `must be a number ≥ 0, got ${o.startS}`);
  if (o.endS !== undefined && (!Number.isFinite(o.endS) || o.endS <= startS))
    throw optionError('endS', `must be a number greater than the start (${startS}), got ${o.endS}`);
  const seed = o.seed ?? 1;
  if (!Number.isInteger(seed)) throw optionError('seed', `must be an integer, got ${seed}`);
  const resolved: ResolvedImportOptions = {
    format: format.name,
    rowFormat: format.rowFormat,
    model,
    as,
    family: o.family,
    seed,
    limit: positive('limit', o.limit, Number.POSITIVE_INFINITY, true),
    timeScale: positive('timeScale', o.timeScale, 1),
    startS,
    endS: o.endS,
    strict: o.strict ?? false,
    blockTokens: positive('blockTokens', o.blockTokens, DEFAULT_BLOCK_TOKENS, true),
    maxPrefixBlocks: positive('maxPrefixBlocks', o.maxPrefixBlocks, 4_000_000, true),
    csvParser: o.csvParser ?? 'split',
    name: o.name,
    onProgress: o.onProgress,
    extraMeta: {},
  };
  resolved.extraMeta = format.meta?.(resolved) ?? {};
  return resolved;
}

/** Import settings recorded in the workload's meta, so a workload says how it was made. */
export function optionsMeta(o: ResolvedImportOptions): Record<string, unknown> {
  const meta: Record<string, unknown> = { model: o.model, time_scale: o.timeScale, start_s: o.startS };
  if (o.endS !== undefined) meta.end_s = o.endS;
  if (Number.isFinite(o.limit)) meta.limit = o.limit;
  if (o.rowFormat) meta.as = o.as;
  if (o.as === 'synthetic-dag') {
    meta.family = o.family;
    meta.seed = o.seed;
  }
  return { ...meta, ...o.extraMeta };
}
