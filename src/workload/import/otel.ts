import { HexplanError } from '../../errors.ts';
import { parseJsonText, readTextFile } from '../../io/files.ts';
import { LIMITS } from '../../schema/limits.ts';
import type { Workflow } from '../../schema/workload.ts';
import { compareInstants, type Instant, PAST_LIMIT_REASON, roundNs, secondsBetween } from './clock.ts';
import { finishImport, type ImportResult, type ReadCounts } from './finish.ts';
import type { TraceImporter } from './importer.ts';
import { checkReadable, readLines } from './lines.ts';
import type { ResolvedImportOptions } from './options.ts';
import { MAX_OTEL_NESTING, traceToWorkflow } from './otelDag.ts';
import { chunkSpans, type OtelSpan, readSpan } from './otelSpans.ts';
import { type Location, SkipLog } from './summary.ts';

export const OTEL_SOURCE = {
  conventions: 'OpenTelemetry GenAI semantic conventions (gen_ai.* span attributes), OTLP JSON encoding',
};

/**
 * OpenTelemetry GenAI spans → workflows, one per trace id. Accepts an OTLP JSON export
 * (`{"resourceSpans": …}`, read whole: one JSON document cannot be streamed without a
 * streaming JSON parser) or JSONL with one span or one OTLP chunk per line (streamed). A
 * trace's spans may be anywhere in the file, so the compact spans of every trace are held
 * until the end of the file — memory grows with the number of spans, not with file bytes.
 */
async function readOtel(file: string, opts: ResolvedImportOptions): Promise<ImportResult> {
  const sizeBytes = Math.max(1, checkReadable(file));
  const skip = new SkipLog(file, opts.strict);
  const counts: ReadCounts = { rowsRead: 0, rowsUsed: 0, outsideWindow: 0, stopped: null, notes: [] };
  const traces = new Map<string, OtelSpan[]>();
  let first: Instant | null = null;

  const take = (raw: unknown, at: Location): void => {
    counts.rowsRead++;
    const { span, problem } = readSpan(raw, at);
    if (problem) {
      skip.skip(at, problem.reason, problem.detail);
    }
    if (!span) return;
    if (!first || compareInstants(span.start, first) < 0) first = span.start;
    let list = traces.get(span.traceId);
    if (!list) traces.set(span.traceId, (list = []));
    list.push(span);
  };

  let documentMode = false;
  let sawRecord = false;
  // An unparseable first line is either a pretty-printed OTLP document or a corrupt JSONL
  // line: the next non-blank line decides (a document's second line does not parse alone).
  let firstBad: { line: number; message: string } | null = null;
  await readLines(
    file,
    (text, line, incomplete) => {
      if (text.trim() === '') return true;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        if (!sawRecord) {
          if (firstBad === null) {
            firstBad = { line, message: (err as Error).message };
            return true;
          }
          documentMode = true;
          return false;
        }
        counts.rowsRead++;
        return skip.row(line, 'malformed JSON', (err as Error).message, incomplete);
      }
      if (firstBad !== null) {
        counts.rowsRead++;
        skip.skip(firstBad.line, 'malformed JSON', firstBad.message);
        firstBad = null;
      }
      sawRecord = true;
      if (value && typeof value === 'object' && !Array.isArray(value) && 'resourceSpans' in value) {
        for (const [raw] of chunkSpans(value as Record<string, unknown>, '')) take(raw, line);
      } else take(value, line);
      return true;
    },
    opts.onProgress && ((c) => opts.onProgress!(c / sizeBytes)),
  );
  if (!sawRecord && firstBad !== null) documentMode = true;
  if (documentMode) {
    const doc = parseJsonText(file, readTextFile(file));
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'resourceSpans' in doc) {
      for (const [raw, path] of chunkSpans(doc as Record<string, unknown>, '')) take(raw, path);
    } else if (Array.isArray(doc)) {
      for (let i = 0; i < doc.length; i++) take(doc[i], `[${i}]`);
    } else {
      throw new HexplanError(
        `${file}: (root): not an OTLP JSON export (expected {"resourceSpans": [...]}, an array of spans, or JSONL)`,
      );
    }
  }

  counts.stopped = skip.truncation();
  const built: Array<{ workflow: Workflow; start: Instant; spansUsed: number }> = [];
  let withoutLlm = 0;
  let tooDeep = 0;
  for (const spans of traces.values()) {
    const result = traceToWorkflow(spans, skip, opts.model);
    if (result === 'no-llm') withoutLlm++;
    else if (result === 'too-deep') tooDeep++;
    else if (result !== 'cycle') built.push(result);
  }
  traces.clear();
  const kept: Workflow[] = [];
  let pastLimit = 0;
  for (const b of built) {
    const rel = secondsBetween(first!, b.start);
    if (rel < opts.startS || (opts.endS !== undefined && rel >= opts.endS)) {
      counts.outsideWindow += b.spansUsed;
      continue;
    }
    b.workflow.arrival_s = roundNs((rel - opts.startS) * opts.timeScale);
    if (!(b.workflow.arrival_s <= LIMITS.maxTimeS)) {
      counts.outsideWindow += b.spansUsed;
      pastLimit++;
      continue;
    }
    kept.push(b.workflow);
    counts.rowsUsed += b.spansUsed;
  }
  kept.sort((a, b) => a.arrival_s - b.arrival_s || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (kept.length > opts.limit) {
    counts.notes.push(`kept the first ${opts.limit} of ${kept.length} workflows by arrival (--limit)`);
    kept.length = opts.limit;
  }
  if (tooDeep > 0)
    counts.notes.push(`left out ${tooDeep} trace(s) nested deeper than ${MAX_OTEL_NESTING} spans`);
  if (pastLimit > 0) counts.notes.push(`left out ${pastLimit} trace(s) whose ${PAST_LIMIT_REASON}`);
  if (withoutLlm > 0)
    counts.notes.push(
      `${withoutLlm} trace(s) had no usable LLM span (structure or tools only) and became no workflow`,
    );
  return finishImport(file, opts, kept, skip, counts, OTEL_SOURCE);
}

export const importOtel: TraceImporter = {
  name: 'otel',
  description: 'OpenTelemetry GenAI spans (OTLP JSON or JSONL), one workflow per trace',
  rowFormat: false,
  run: readOtel,
};
