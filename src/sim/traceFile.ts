import { extname } from 'node:path';
import { HexplanError } from '../errors.ts';
import { writeFileAtomic } from '../io/files.ts';
import { csvCell } from '../util/csv.ts';
import type { SimResult } from './types.ts';

export type TraceFormat = 'jsonl' | 'csv';
export const TRACE_FORMATS: readonly TraceFormat[] = ['jsonl', 'csv'];

const CALL_COLUMNS = [
  'workflow',
  'call',
  'ready_s',
  'prefill_instance',
  'prefill_start_s',
  'prefill_end_s',
  'transfer_end_s',
  'decode_instance',
  'decode_start_s',
  'decode_end_s',
] as const;
const WORKFLOW_COLUMNS = ['workflow', 'arrival_s', 'finish_s', 'standalone_s', 'scale'] as const;

/** The format named by --trace-format, else by the file's extension (.csv, else JSONL). */
export function traceFormatFor(file: string, explicit?: string): TraceFormat {
  if (explicit !== undefined) {
    if (!(TRACE_FORMATS as readonly string[]).includes(explicit))
      throw new HexplanError(`--trace-format: unknown "${explicit}" (known: ${TRACE_FORMATS.join(', ')})`);
    return explicit as TraceFormat;
  }
  return extname(file).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
}

/**
 * Writes a run's trace atomically. JSONL: one line per call (`"record":"call"`, workload
 * order) then one per workflow (`"record":"workflow"`). CSV: the calls in FILE and the
 * workflows in FILE with `.workflows.csv` in place of `.csv`. Returns the files written.
 */
export function writeTrace(result: SimResult, file: string, format: TraceFormat): string[] {
  if (format === 'jsonl') {
    const lines: string[] = [];
    for (const r of result.calls) lines.push(JSON.stringify({ record: 'call', ...r }));
    for (const r of result.workflows) lines.push(JSON.stringify({ record: 'workflow', ...r }));
    writeFileAtomic(file, `${lines.join('\n')}\n`);
    return [file];
  }
  const calls = [CALL_COLUMNS.join(',')];
  for (const r of result.calls) calls.push(CALL_COLUMNS.map((k) => csvCell(r[k])).join(','));
  const workflows = [WORKFLOW_COLUMNS.join(',')];
  for (const r of result.workflows) workflows.push(WORKFLOW_COLUMNS.map((k) => csvCell(r[k])).join(','));
  const wfFile = file.toLowerCase().endsWith('.csv')
    ? `${file.slice(0, -4)}.workflows.csv`
    : `${file}.workflows.csv`;
  writeFileAtomic(file, `${calls.join('\n')}\n`);
  writeFileAtomic(wfFile, `${workflows.join('\n')}\n`);
  return [file, wfFile];
}
