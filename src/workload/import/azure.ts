import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { HexplanError } from '../../errors.ts';
import { type Instant, PAST_LIMIT_REASON, parseWallClockInto } from './clock.ts';
import { finishImport, type ImportResult, parseTokenCount } from './finish.ts';
import type { TraceImporter } from './importer.ts';
import { endsWithNewline, readLines } from './lines.ts';
import type { ResolvedImportOptions } from './options.ts';
import { startRowImport } from './rowImport.ts';
import type { ShapeSource } from './rows.ts';

/** CC-BY-4.0 asks for credit wherever the data is used; it travels in the workload's meta. */
export const AZURE_ATTRIBUTION = {
  dataset: 'Azure LLM inference traces 2023 (AzurePublicDataset, github.com/Azure/AzurePublicDataset)',
  paper:
    'Patel, Choukse, Zhang, Shah, Goiri, Maleki, Bianchini. Splitwise: Efficient generative LLM inference using phase splitting. ISCA 2024.',
  license: 'CC-BY-4.0',
};

const COLUMNS = ['timestamp', 'contexttokens', 'generatedtokens'] as const;

/** Column positions: from the header when there is one, else the published order. */
type ColumnMap = [number, number, number];

function headerColumns(file: string, fields: string[]): ColumnMap | null {
  const names = fields.map((f) => f.trim().toLowerCase());
  if (!names.some((n) => (COLUMNS as readonly string[]).includes(n))) return null;
  const map = COLUMNS.map((c) => names.indexOf(c));
  const missing = COLUMNS.filter((_, i) => map[i]! < 0);
  if (missing.length > 0) {
    throw new HexplanError(
      `${file}:1: header lacks column(s) ${missing.join(', ')} (found: ${fields.join(', ')}; expected TIMESTAMP,ContextTokens,GeneratedTokens)`,
    );
  }
  return map as ColumnMap;
}

/**
 * Azure LLM inference trace CSV (`TIMESTAMP,ContextTokens,GeneratedTokens`), streamed: rows
 * are parsed, checked and turned into calls one at a time; only the output workflows stay in
 * memory. Timestamps are zone-less wall clock read exactly (see clock.ts); arrivals are
 * relative to the first valid row.
 */
async function readAzure(
  file: string,
  opts: ResolvedImportOptions,
  shapes: ShapeSource | null,
): Promise<ImportResult> {
  const { sizeBytes, skip, clock, builder, counts } = startRowImport(file, opts, 'azure', shapes);
  let columns: ColumnMap = [0, 1, 2];
  let width = 3;
  let sawFirst = false;

  const t: Instant = { sec: 0, ns: 0 }; // reused for every row

  /** Handles one CSV record; false stops the read. `incomplete`: last line, no newline after it. */
  const handle = (fields: string[], line: number, incomplete: boolean): boolean => {
    if (fields.length === 1 && fields[0]!.trim() === '') return true; // blank line
    if (!sawFirst) {
      sawFirst = true;
      const header = headerColumns(file, fields);
      if (header) {
        columns = header;
        width = fields.length;
        return true;
      }
    }
    counts.rowsRead++;
    if (fields.length !== width)
      return skip.row(
        line,
        'wrong number of fields',
        `${fields.length} fields, expected ${width}`,
        incomplete,
      );
    const input = parseTokenCount(fields[columns[1]]);
    if (typeof input !== 'number')
      return skip.row(line, input.reason, `ContextTokens ${input.detail}`, incomplete);
    const output = parseTokenCount(fields[columns[2]]);
    if (typeof output !== 'number')
      return skip.row(line, output.reason, `GeneratedTokens ${output.detail}`, incomplete);
    const bad = parseWallClockInto(fields[columns[0]]!, t);
    if (bad !== null) return skip.row(line, 'unparseable timestamp', bad, incomplete);
    const verdict = clock.observe(t);
    if (verdict === 'ok') {
      builder.add(line, clock.arrivalS(), input, output);
      if (++counts.rowsUsed < opts.limit) return true;
      counts.stopped = { at: `line ${line}`, reason: `reached --limit ${opts.limit}` };
      return false;
    }
    if (verdict === 'out-of-order') {
      const detail = `${fields[columns[0]]!.trim()} is earlier than a previous row`;
      return skip.row(line, 'out-of-order timestamp', detail, incomplete);
    }
    counts.outsideWindow++;
    if (verdict === 'before-window') return true;
    counts.stopped = {
      at: `line ${line}`,
      reason: verdict === 'past-limit' ? PAST_LIMIT_REASON : `reached --end ${opts.endS} s`,
    };
    return false;
  };

  // Both readers deliver the same records; bench/import.ts measures the split one at about
  // half the CPU per row, so it is the default (see options.ts).
  if (opts.csvParser === 'split') {
    await readLines(
      file,
      (text, line, isLast) => handle(text.split(','), line, isLast),
      opts.onProgress && ((c) => opts.onProgress!(c / sizeBytes)),
    );
  } else {
    await readWithCsvParse(file, sizeBytes, handle, opts.onProgress);
  }
  counts.stopped ??= skip.truncation();
  const partial = builder.finish();
  if (partial.partialOf > 0)
    counts.notes.push(
      `the last workflow got ${partial.partialKept} of its ${partial.partialOf} generated calls (rows ran out); it keeps those`,
    );
  return finishImport(file, opts, builder.workflows, skip, counts, { attribution: AZURE_ATTRIBUTION });
}

/**
 * csv-parse's streaming parser with quoting off (the format has none, and a stray quote in a
 * corrupt file must not swallow the rest) and `\n` records, so record k is line k. One record
 * is held back so the last one is known, to tell a truncated final line from a bad row.
 */
async function readWithCsvParse(
  file: string,
  sizeBytes: number,
  handle: (fields: string[], line: number, incomplete: boolean) => boolean,
  onProgress: ((fraction: number) => void) | undefined,
): Promise<void> {
  const finalNewline = endsWithNewline(file);
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  const parser = input.pipe(
    parse({ quote: false, relax_column_count: true, bom: true, record_delimiter: '\n', trim: false }),
  );
  let held: string[] | null = null;
  let line = 0;
  let stopped = false;
  let nextProgress = 0;
  const records = parser[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<string[]>;
      try {
        next = await records.next();
      } catch (err) {
        // Errors of the reader or parser are the file's; errors of `handle` below are not caught here.
        throw new HexplanError(`${file}:${line + 1}: cannot read CSV: ${(err as Error).message}`);
      }
      if (next.done) break;
      if (held !== null && !handle(held, line, false)) {
        stopped = true;
        break;
      }
      held = stripCr(next.value);
      line++;
      if (onProgress && line >= nextProgress) {
        nextProgress = line + 50_000;
        onProgress(input.bytesRead / sizeBytes);
      }
    }
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!stopped && held !== null) handle(held, line, !finalNewline);
}

function stripCr(record: string[]): string[] {
  const last = record[record.length - 1];
  if (last?.endsWith('\r')) record[record.length - 1] = last.slice(0, -1);
  return record;
}

export const importAzure: TraceImporter = {
  name: 'azure',
  description: 'Azure LLM inference trace CSV (TIMESTAMP,ContextTokens,GeneratedTokens)',
  rowFormat: true,
  run: readAzure,
};
