import { basename } from 'node:path';
import { HexplanError } from '../../errors.ts';
import { zodProblems } from '../../io/loadDocument.ts';
import { WORKLOAD_SCHEMA, type Workflow, Workload } from '../../schema/workload.ts';
import { checkWorkload } from '../checks.ts';
import { optionsMeta, type ResolvedImportOptions } from './options.ts';
import { type ImportSummary, type SkipLog, workloadFigures } from './summary.ts';

export interface ImportResult {
  workload: Workload;
  summary: ImportSummary;
}

/** What a format's reader counted, handed to `finishImport`. */
export interface ReadCounts {
  rowsRead: number;
  rowsUsed: number;
  outsideWindow: number;
  stopped: { at: string; reason: string } | null;
  notes: string[];
}

/** Largest token count a row may claim; beyond it the row is corrupt, not a long prompt. */
export const MAX_TOKENS = 10_000_000;

/**
 * Parses a token count field: a whole number ≥ 1. Returns the number or a skip reason.
 * Zero is rejected because the workload schema needs ≥ 1 input and output token per call.
 */
export function parseTokenCount(value: unknown): number | { reason: string; detail: string } {
  if (value === undefined || value === null || value === '')
    return { reason: 'missing field', detail: 'absent or empty' };
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const t = value.trim();
    if (t === '') return { reason: 'missing field', detail: 'absent or empty' };
    n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : Number.NaN;
  } else n = Number.NaN;
  if (!Number.isFinite(n)) return { reason: 'non-numeric tokens', detail: `${JSON.stringify(value)}` };
  if (n < 0) return { reason: 'negative tokens', detail: `${n}` };
  if (!Number.isInteger(n)) return { reason: 'non-integer tokens', detail: `${n}` };
  if (n === 0)
    return { reason: 'zero tokens', detail: '0 (a call needs at least 1 input and 1 output token)' };
  if (n > MAX_TOKENS) return { reason: 'implausible token count', detail: `${n} > ${MAX_TOKENS}` };
  return n;
}

/**
 * Assembles the workload, validates it exactly as `hexplan validate` would (shape, then
 * semantics) and builds the summary. A workload that fails here is an importer bug, never
 * written; zero usable rows is the user's problem and says why.
 */
export function finishImport(
  file: string,
  opts: ResolvedImportOptions,
  workflows: Workflow[],
  skip: SkipLog,
  counts: ReadCounts,
  source: Record<string, unknown>,
): ImportResult {
  const base: Omit<ImportSummary, 'workflows' | 'calls' | 'arrival_span_s' | 'tokens'> = {
    format: opts.format,
    file,
    rows_read: counts.rowsRead,
    rows_used: counts.rowsUsed,
    rows_skipped: skip.total,
    skipped: skip.list(),
    outside_window: counts.outsideWindow,
    stopped: counts.stopped,
    notes: counts.notes,
  };
  if (workflows.length === 0) {
    const why = base.skipped.map((s) => `${s.count} × ${s.reason} (e.g. ${s.first_at[0]}: ${s.example})`);
    const parts = [`read ${counts.rowsRead} rows`];
    if (why.length) parts.push(`skipped ${why.join('; ')}`);
    if (counts.outsideWindow) parts.push(`${counts.outsideWindow} outside --start/--end`);
    throw new HexplanError(`${file}: (file): no usable rows, nothing written (${parts.join(', ')})`);
  }
  const envelope = {
    schema: WORKLOAD_SCHEMA,
    name: opts.name ?? basename(file).replace(/\.[^.]*$/, ''),
    meta: { source: { format: opts.format, file: basename(file), ...source }, import: optionsMeta(opts) },
  };
  const workload = validateWorkload(file, envelope, workflows);
  return { workload, summary: { ...base, ...workloadFigures(workload) } };
}

const Envelope = Workload.omit({ workflows: true });
const WorkflowSchema = Workload.shape.workflows.element;

/**
 * Exactly `hexplan validate`'s checks — the Workload schema (envelope, then each workflow with
 * the schema's own element type, several times faster than one parse of a million-element
 * array) and checkWorkload. The importer's own objects are kept, not zod's copies: they are
 * equal (every defaulted field is set explicitly, and strict objects have no extra keys to
 * strip), and copying a million workflows that already live in the old generation doubles
 * the garbage collector's work. Failing here is an importer bug.
 */
function validateWorkload(file: string, envelope: object, workflows: Workflow[]): Workload {
  const head = Envelope.safeParse(envelope);
  if (!head.success) throw new Error(`importer bug: ${zodProblems(file, head.error, 10).join('; ')}`);
  for (let i = 0; i < workflows.length; i++) {
    const r = WorkflowSchema.safeParse(workflows[i]);
    if (!r.success) {
      const where = r.error.issues.map((x) => `workflows[${i}].${x.path.join('.')}: ${x.message}`);
      throw new Error(`importer bug: ${file}: ${where.join('; ')}`);
    }
  }
  const workload: Workload = { ...head.data, workflows };
  const problems = checkWorkload(file, workload);
  if (problems.length > 0)
    throw new Error(`importer bug: workload fails its checks:\n${problems.join('\n')}`);
  return workload;
}
