import { parse } from 'csv-parse/sync';
import { HexplanError } from '../errors.ts';
import { readTextFile } from '../io/files.ts';

/** One data row of a CSV file with its 1-based line number, for error messages. */
export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

/**
 * Reads a CSV file with a header row, requiring the named columns. Syntax errors and missing
 * columns become `FILE: line N: message` errors, never a stack trace.
 */
export function readCsv(file: string, requiredColumns: readonly string[]): CsvRow[] {
  const text = readTextFile(file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      skip_empty_lines: true,
      trim: true,
      comment: '#',
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    const e = err as Error & { lines?: number };
    const where = e.lines !== undefined ? `line ${e.lines}` : '(file)';
    throw new HexplanError(
      `${file}: ${where}: malformed CSV: ${e.message.replace(/^Invalid Record Length: /, '')}`,
    );
  }
  const header = records[0];
  if (!header)
    throw new HexplanError(`${file}: line 1: empty CSV (expected a header: ${requiredColumns.join(',')})`);
  const columns = header.record;
  for (const c of requiredColumns) {
    if (!columns.includes(c)) {
      throw new HexplanError(
        `${file}: line ${header.info.lines}: missing column "${c}" (header has: ${columns.join(', ')})`,
      );
    }
  }
  return records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
  }));
}

/** A numeric cell, or a `FILE: line N: column "C": …` error. */
export function csvNumber(
  file: string,
  row: CsvRow,
  column: string,
  check?: (x: number) => string | null,
): number {
  const raw = row.values[column] ?? '';
  const x = raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(x))
    throw new HexplanError(`${file}: line ${row.line}: column "${column}": expected a number, got "${raw}"`);
  const bad = check?.(x);
  if (bad) throw new HexplanError(`${file}: line ${row.line}: column "${column}": ${bad}, got ${raw}`);
  return x;
}

/** One CSV cell: numbers as JavaScript prints them, text quoted only when it must be. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV with a header of every key in first-seen order; missing values empty. */
export function csvText(rows: ReadonlyArray<Record<string, string | number | boolean | null>>): string {
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const lines = [columns.map(csvCell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}
