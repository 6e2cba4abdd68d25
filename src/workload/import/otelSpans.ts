import { type Instant, instantFromNanoString } from './clock.ts';
import { parseTokenCount } from './finish.ts';
import type { Location } from './summary.ts';

/** What the importer keeps of a span: a few fields, so open traces stay small in memory. */
export interface OtelSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentId: string;
  kind: 'llm' | 'tool' | 'other';
  name: string;
  start: Instant;
  end: Instant;
  inputTokens: number;
  outputTokens: number;
  at: Location;
}

/** A record the reader could not use, and why (reported through SkipLog). */
export interface SpanProblem {
  reason: string;
  detail: string;
}

const WANTED = new Set([
  'gen_ai.operation.name',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
]);
/** Operation names of model calls in the GenAI semantic conventions. */
const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);

function attributeValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v; // plain-object attributes: {key: value}
  const o = v as Record<string, unknown>;
  if ('stringValue' in o) return o.stringValue;
  if ('intValue' in o) return o.intValue; // OTLP JSON writes int64 as a string
  if ('doubleValue' in o) return o.doubleValue;
  if ('boolValue' in o) return o.boolValue;
  return undefined;
}

/** The GenAI attributes, from OTLP's [{key, value: {…Value}}] list or a plain object. */
function readAttributes(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (Array.isArray(raw)) {
    for (const a of raw) {
      if (a && typeof a === 'object') {
        const key = (a as { key?: unknown }).key;
        if (typeof key === 'string' && WANTED.has(key))
          out.set(key, attributeValue((a as { value?: unknown }).value));
      }
    }
  } else if (raw && typeof raw === 'object') {
    for (const [key, value] of Object.entries(raw)) if (WANTED.has(key)) out.set(key, attributeValue(value));
  }
  return out;
}

function readTime(v: unknown): Instant | null {
  if (typeof v === 'string') return instantFromNanoString(v.trim());
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0)
    return instantFromNanoString(BigInt(v).toString());
  return null;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/**
 * Reads one OTLP span object. Returns the span, or a problem. An LLM span whose token counts
 * are unusable comes back as a structure-only span plus a problem, so its children keep
 * their parent.
 */
export function readSpan(raw: unknown, at: Location): { span: OtelSpan | null; problem: SpanProblem | null } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      span: null,
      problem: { reason: 'not a span', detail: 'expected an object with traceId and spanId' },
    };
  const s = raw as Record<string, unknown>;
  if (!isId(s.traceId)) return { span: null, problem: { reason: 'missing field', detail: 'traceId' } };
  if (!isId(s.spanId)) return { span: null, problem: { reason: 'missing field', detail: 'spanId' } };
  const parent = s.parentSpanId ?? '';
  if (typeof parent !== 'string')
    return { span: null, problem: { reason: 'bad parentSpanId', detail: `${JSON.stringify(parent)}` } };
  const start = readTime(s.startTimeUnixNano);
  const end = readTime(s.endTimeUnixNano);
  if (!start || !end) {
    const which = !start ? 'startTimeUnixNano' : 'endTimeUnixNano';
    const value = !start ? s.startTimeUnixNano : s.endTimeUnixNano;
    return {
      span: null,
      problem: { reason: 'unparseable timestamp', detail: `${which} ${JSON.stringify(value)}` },
    };
  }
  if (end.sec < start.sec || (end.sec === start.sec && end.ns < start.ns))
    return { span: null, problem: { reason: 'span ends before it starts', detail: `span ${s.spanId}` } };
  const attrs = readAttributes(s.attributes);
  const op = attrs.get('gen_ai.operation.name');
  const inRaw = attrs.get('gen_ai.usage.input_tokens') ?? attrs.get('gen_ai.usage.prompt_tokens');
  const outRaw = attrs.get('gen_ai.usage.output_tokens') ?? attrs.get('gen_ai.usage.completion_tokens');
  const span: OtelSpan = {
    traceId: s.traceId,
    spanId: s.spanId,
    parentId: parent,
    kind: 'other',
    name: typeof s.name === 'string' ? s.name : '',
    start,
    end,
    inputTokens: 0,
    outputTokens: 0,
    at,
  };
  if (op === 'execute_tool') {
    span.kind = 'tool';
    return { span, problem: null };
  }
  // A named operation decides (agent spans may carry their children's summed usage, and
  // embeddings generate nothing); without one, token usage marks a model call.
  const looksLlm =
    typeof op === 'string' ? LLM_OPERATIONS.has(op) : inRaw !== undefined || outRaw !== undefined;
  if (!looksLlm) return { span, problem: null };
  const input = parseTokenCount(inRaw);
  const output = parseTokenCount(outRaw);
  if (typeof input !== 'number' || typeof output !== 'number') {
    const bad = typeof input !== 'number' ? input : (output as SpanProblem);
    const which = typeof input !== 'number' ? 'input_tokens' : 'output_tokens';
    return {
      span,
      problem: {
        reason: `LLM span with ${bad.reason}`,
        detail: `span ${s.spanId} gen_ai.usage.${which}: ${bad.detail}`,
      },
    };
  }
  span.kind = 'llm';
  span.inputTokens = input;
  span.outputTokens = output;
  return { span, problem: null };
}

/** The spans inside an OTLP export chunk `{resourceSpans: [{scopeSpans: [{spans: [...]}]}]}`. */
export function* chunkSpans(
  chunk: Record<string, unknown>,
  pathPrefix: string,
): Generator<[unknown, string]> {
  const rs = chunk.resourceSpans;
  if (!Array.isArray(rs)) return;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i] as Record<string, unknown> | null;
    const scopes = r && typeof r === 'object' ? (r.scopeSpans ?? r.instrumentationLibrarySpans) : undefined;
    if (!Array.isArray(scopes)) continue;
    for (let j = 0; j < scopes.length; j++) {
      const sc = scopes[j] as Record<string, unknown> | null;
      const spans = sc && typeof sc === 'object' ? sc.spans : undefined;
      if (!Array.isArray(spans)) continue;
      for (let k = 0; k < spans.length; k++)
        yield [spans[k], `${pathPrefix}resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`];
    }
  }
}
