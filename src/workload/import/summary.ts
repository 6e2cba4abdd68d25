import { HexplanError } from '../../errors.ts';
import type { Workload } from '../../schema/workload.ts';

/** How many line numbers (or JSON paths) each skip reason keeps as examples. */
export const FIRST_AT_LIMIT = 5;

/** Where a record came from: a 1-based line number, or a JSON path inside a whole-file document. */
export type Location = number | string;

export interface SkipCount {
  reason: string;
  count: number;
  /** The first few places it happened (`line 12` or a JSON path). */
  first_at: string[];
  /** The first occurrence's details, so a reader sees what was wrong without opening the file. */
  example: string;
}

export interface TokenStats {
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
}

/** What an import read, kept and dropped: printed on stderr and returned in --json. */
export interface ImportSummary {
  format: string;
  file: string;
  /** Data records read (CSV/JSONL lines after the header, OTLP spans). */
  rows_read: number;
  rows_used: number;
  rows_skipped: number;
  skipped: SkipCount[];
  /** Valid rows left out by --start/--end (not errors). */
  outside_window: number;
  /** Set when reading ended before the end of the file (--limit, --end, truncation). */
  stopped: { at: string; reason: string } | null;
  workflows: number;
  calls: number;
  /** First and last workflow arrival in the output (after --start and --time-scale). */
  arrival_span_s: { first: number; last: number };
  tokens: { input: TokenStats; output: TokenStats; shared_prefix?: TokenStats };
  notes: string[];
}

export function formatLocation(at: Location): string {
  return typeof at === 'number' ? `line ${at}` : at;
}

/**
 * Collects skipped records by reason. With `strict`, the first problem is instead an error
 * naming the place: `FILE:LINE: reason: detail` (or `FILE: json.path: …` inside a document).
 */
export class SkipLog {
  readonly counts = new Map<string, SkipCount>();
  total = 0;
  /** Line of a last line cut short (no newline after it and unusable): where reading stopped. */
  truncatedAt: number | null = null;

  constructor(
    readonly file: string,
    readonly strict: boolean,
  ) {}

  skip(at: Location, reason: string, detail = ''): void {
    const message = detail === '' ? reason : `${reason}: ${detail}`;
    if (this.strict) {
      const where = typeof at === 'number' ? `${this.file}:${at}:` : `${this.file}: ${at}:`;
      throw new HexplanError(`${where} ${message} (--strict)`);
    }
    this.total++;
    let entry = this.counts.get(reason);
    if (!entry) {
      entry = { reason, count: 0, first_at: [], example: message };
      this.counts.set(reason, entry);
    }
    entry.count++;
    if (entry.first_at.length < FIRST_AT_LIMIT) entry.first_at.push(formatLocation(at));
  }

  /**
   * Skips a line-based record. The last line of a file that does not end in a newline and
   * fails to parse is reported as a truncation (where the import stopped), not a bad row.
   * Returns true, so readers can `return skip.row(…)` and keep going.
   */
  row(line: number, reason: string, detail: string, incomplete: boolean): true {
    if (incomplete) {
      this.skip(line, 'incomplete last line', `file ends mid-line (truncated?): ${detail}`);
      this.truncatedAt = line;
    } else this.skip(line, reason, detail);
    return true;
  }

  /** Where reading stopped because the file was cut short, for the summary. */
  truncation(): { at: string; reason: string } | null {
    return this.truncatedAt === null
      ? null
      : {
          at: `line ${this.truncatedAt}`,
          reason: 'file ends mid-line; imported the complete lines before it',
        };
  }

  /** Reasons in order of first occurrence (a Map keeps insertion order: deterministic). */
  list(): SkipCount[] {
    return [...this.counts.values()];
  }
}

/**
 * min, mean, nearest-rank percentiles (the ⌈q·n⌉-th smallest, as requiredScale does), max and
 * total of integer token counts. Counts are tallied per distinct value and only the distinct
 * values sorted: traces repeat lengths, so a million rows hold a few thousand of them.
 */
export function tokenStats(values: ArrayLike<number>): TokenStats {
  const n = values.length;
  if (n === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0, total: 0 };
  const counts = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    total += v;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const distinct = Float64Array.from(counts.keys()).sort();
  const wanted = [0.5, 0.9, 0.99].map((q) => Math.max(1, Math.ceil(q * n)));
  const found: number[] = [];
  let seen = 0;
  for (const v of distinct) {
    seen += counts.get(v)!;
    while (found.length < wanted.length && seen >= wanted[found.length]!) found.push(v);
  }
  return {
    min: distinct[0]!,
    mean: Math.round((total / n) * 100) / 100,
    p50: found[0]!,
    p90: found[1]!,
    p99: found[2]!,
    max: distinct[distinct.length - 1]!,
    total,
  };
}

/** Workflow/call counts, arrival span and token statistics of the workload an import built. */
export function workloadFigures(
  workload: Workload,
): Pick<ImportSummary, 'workflows' | 'calls' | 'arrival_span_s' | 'tokens'> {
  // Typed arrays sized up front: pushing a million numbers into growing JS arrays costs more
  // than the statistics themselves.
  let calls = 0;
  for (const wf of workload.workflows) calls += wf.calls.length;
  const input = new Float64Array(calls);
  const output = new Float64Array(calls);
  const prefix = new Float64Array(calls);
  let anyPrefix = false;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  let i = 0;
  for (const wf of workload.workflows) {
    if (wf.arrival_s < first) first = wf.arrival_s;
    if (wf.arrival_s > last) last = wf.arrival_s;
    for (const c of wf.calls) {
      input[i] = c.input_tokens;
      output[i] = c.output_tokens;
      if (c.shared_prefix_tokens !== undefined) {
        prefix[i] = c.shared_prefix_tokens;
        anyPrefix = true;
      }
      i++;
    }
  }
  const tokens: ImportSummary['tokens'] = { input: tokenStats(input), output: tokenStats(output) };
  if (anyPrefix) tokens.shared_prefix = tokenStats(prefix);
  return {
    workflows: workload.workflows.length,
    calls,
    arrival_span_s: { first: calls ? first : 0, last },
    tokens,
  };
}

function statsLine(name: string, s: TokenStats): string {
  return `  ${name.padEnd(14)} min ${s.min}  p50 ${s.p50}  mean ${s.mean}  p90 ${s.p90}  p99 ${s.p99}  max ${s.max}  total ${s.total}`;
}

/** The human summary printed on stderr. */
export function renderSummary(s: ImportSummary): string {
  const out: string[] = [];
  out.push(`import ${s.format} ${s.file}`);
  out.push(
    `  rows read ${s.rows_read}, used ${s.rows_used}, skipped ${s.rows_skipped}` +
      (s.outside_window ? `, outside --start/--end ${s.outside_window}` : ''),
  );
  for (const k of s.skipped) {
    const more = k.count > k.first_at.length ? ', …' : '';
    out.push(`    skipped ${k.count} × ${k.reason} (${k.first_at.join(', ')}${more}); e.g. ${k.example}`);
  }
  if (s.stopped) out.push(`  stopped at ${s.stopped.at}: ${s.stopped.reason}`);
  out.push(
    `  workflows ${s.workflows}, calls ${s.calls}, arrivals ${s.arrival_span_s.first}…${s.arrival_span_s.last} s`,
  );
  out.push(statsLine('input tokens', s.tokens.input));
  out.push(statsLine('output tokens', s.tokens.output));
  if (s.tokens.shared_prefix) out.push(statsLine('shared prefix', s.tokens.shared_prefix));
  for (const n of s.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}
