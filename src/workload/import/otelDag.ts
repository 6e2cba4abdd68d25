import type { Call, Workflow } from '../../schema/workload.ts';
import { findCycle, indexDag, topologicalOrder } from '../dag.ts';
import { compareInstants, type Instant, roundNs, secondsBetween } from './clock.ts';
import type { OtelSpan } from './otelSpans.ts';
import type { SkipLog } from './summary.ts';

/** Above this many calls in one trace, deps are not transitively reduced (n² bits of memory). */
const REDUCE_LIMIT = 20_000;

function bySpanTime(a: OtelSpan, b: OtelSpan): number {
  return (
    compareInstants(a.start, b.start) ||
    compareInstants(a.end, b.end) ||
    (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0)
  );
}

/**
 * One trace → one workflow ('no-llm' when it has no usable LLM call, 'cycle' when skipped).
 *
 * Dependencies, from structure and timing: walking up from a call through its ancestors, at
 * each level the call (or its ancestor) depends on every sibling subtree that *ended before it
 * started* — all LLM calls in that subtree. A call also depends on LLM calls nested inside
 * it (a parent needs its children's results). Deps are then transitively reduced.
 * Tool spans (`execute_tool`) in those same earlier subtrees that end after the call's last
 * LLM dependency become its `tool_s`: from that dependency's end (or the first such tool's
 * start, if later) to the last such tool's end — parallel tools overlap, sequential ones add.
 * Time the framework spends outside tool spans is not modelled.
 * Spans with an unknown parent (and their subtrees) are skipped; a trace whose timing makes
 * the deps cyclic (e.g. zero-length spans at one instant) is skipped whole.
 */
/**
 * Deepest span nesting imported. Subtree membership and the ancestor walk cost O(spans × depth):
 * 10,000 nested spans took 107 s and 3.5 GB, so a deeper trace is left out with a note.
 */
export const MAX_OTEL_NESTING = 1000;

export function traceToWorkflow(
  spans: OtelSpan[],
  skip: SkipLog,
  model: string,
): { workflow: Workflow; start: Instant; spansUsed: number } | 'no-llm' | 'cycle' | 'too-deep' {
  const byId = new Map<string, OtelSpan>();
  for (const s of spans) {
    if (byId.has(s.spanId)) skip.skip(s.at, 'duplicate span id', `span ${s.spanId} in trace ${s.traceId}`);
    else byId.set(s.spanId, s);
  }
  const children = new Map<string, OtelSpan[]>();
  const roots: OtelSpan[] = [];
  for (const s of byId.values()) {
    if (s.parentId === '') roots.push(s);
    else if (byId.has(s.parentId)) {
      let list = children.get(s.parentId);
      if (!list) children.set(s.parentId, (list = []));
      list.push(s);
    }
  }
  // Reachable from a root: everything else hangs under a missing parent (or a parent loop).
  const parentOf = new Map<OtelSpan, OtelSpan | null>();
  const order: OtelSpan[] = [];
  roots.sort(bySpanTime);
  const stack = [...roots].reverse();
  for (const r of roots) parentOf.set(r, null);
  const depth = new Map<OtelSpan, number>(roots.map((r) => [r, 0]));
  while (stack.length > 0) {
    const s = stack.pop()!;
    order.push(s);
    const d = depth.get(s)!;
    if (d > MAX_OTEL_NESTING) return 'too-deep';
    const kids = children.get(s.spanId);
    if (!kids) continue;
    kids.sort(bySpanTime);
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i]!;
      if (parentOf.has(k)) continue;
      parentOf.set(k, s);
      depth.set(k, d + 1);
      stack.push(k);
    }
  }
  for (const s of byId.values()) {
    if (parentOf.has(s)) continue;
    const reason = byId.has(s.parentId)
      ? 'ancestor has an unknown parent (or parents loop)'
      : 'unknown parent';
    skip.skip(s.at, reason, `span ${s.spanId} (parent ${s.parentId}) in trace ${s.traceId}`);
  }
  // Subtree members, bottom-up (reverse pre-order visits children before parents).
  const llmIn = new Map<OtelSpan, OtelSpan[]>();
  const toolsIn = new Map<OtelSpan, OtelSpan[]>();
  for (let i = order.length - 1; i >= 0; i--) {
    const s = order[i]!;
    const llm: OtelSpan[] = s.kind === 'llm' ? [s] : [];
    const tools: OtelSpan[] = s.kind === 'tool' ? [s] : [];
    for (const k of children.get(s.spanId) ?? []) {
      if (parentOf.get(k) !== s) continue;
      llm.push(...llmIn.get(k)!);
      tools.push(...toolsIn.get(k)!);
    }
    llmIn.set(s, llm);
    toolsIn.set(s, tools);
  }
  const calls = order.filter((s) => s.kind === 'llm').sort(bySpanTime);
  if (calls.length === 0) return 'no-llm';
  // The workflow arrives when its trace starts (its earliest span), the clock for root calls' tools.
  let traceStart = order[0]!.start;
  for (const s of order) if (compareInstants(s.start, traceStart) < 0) traceStart = s.start;
  const index = new Map(calls.map((c, i) => [c, i]));
  const deps: number[][] = [];
  const toolS: number[] = [];
  for (const x of calls) {
    const dep = new Set<number>();
    const tools: OtelSpan[] = [];
    for (const d of llmIn.get(x)!) if (d !== x) dep.add(index.get(d)!);
    for (let c: OtelSpan = x; ; ) {
      const parent = parentOf.get(c)!;
      const siblings = parent ? (children.get(parent.spanId) ?? []) : roots;
      const earlier: OtelSpan[] = [];
      let latest: OtelSpan | null = null; // the latest-starting earlier sibling holding an LLM call
      for (const v of siblings) {
        if (v === c || parentOf.get(v) !== parent || compareInstants(v.end, c.start) > 0) continue;
        earlier.push(v);
        if (llmIn.get(v)!.length > 0 && (!latest || compareInstants(v.start, latest.start) > 0)) latest = v;
      }
      for (const v of earlier) {
        // A sibling that ended before `latest` started is already a dep of latest's calls (and
        // its tools ended before them): skipping it keeps long flat traces from going quadratic.
        if (latest && v !== latest && compareInstants(v.end, latest.start) <= 0) continue;
        for (const d of llmIn.get(v)!) dep.add(index.get(d)!);
        for (const t of toolsIn.get(v)!) tools.push(t);
      }
      if (!parent) break;
      c = parent;
    }
    let lastDepEnd = traceStart;
    for (const d of dep) if (compareInstants(calls[d]!.end, lastDepEnd) > 0) lastDepEnd = calls[d]!.end;
    let toolEnd: Instant | null = null;
    let toolStart: Instant | null = null;
    for (const t of tools) {
      if (compareInstants(t.end, lastDepEnd) <= 0) continue; // consumed by an earlier call
      if (!toolEnd || compareInstants(t.end, toolEnd) > 0) toolEnd = t.end;
      if (!toolStart || compareInstants(t.start, toolStart) < 0) toolStart = t.start;
    }
    let tool = 0;
    if (toolEnd && toolStart) {
      const from = compareInstants(toolStart, lastDepEnd) > 0 ? toolStart : lastDepEnd;
      tool = Math.max(0, roundNs(secondsBetween(from, toolEnd)));
    }
    deps.push([...dep].sort((a, b) => a - b));
    toolS.push(tool);
  }
  const workflow: Workflow = {
    id: calls[0]!.traceId,
    arrival_s: 0, // set by the caller against the file's first span
    model,
    family: 'otel',
    calls: calls.map((s, i): Call => {
      const call: Call = {
        id: s.spanId,
        input_tokens: s.inputTokens,
        output_tokens: s.outputTokens,
        deps: deps[i]!.map((d) => calls[d]!.spanId),
        tool_s: toolS[i]!,
      };
      if (s.name !== '') call.stage = s.name;
      return call;
    }),
  };
  const cycle = findCycle(indexDag(workflow));
  if (cycle) {
    skip.skip(
      calls[0]!.at,
      'dependency cycle from inconsistent timing',
      `trace ${workflow.id}: ${cycle.join(' → ')} (each ended before the next started); trace skipped`,
    );
    return 'cycle';
  }
  if (calls.length <= REDUCE_LIMIT) reduceTransitively(workflow);
  return { workflow, start: traceStart, spansUsed: order.length };
}

/** Drops deps implied by other deps (d is redundant when another dep already reaches it). */
function reduceTransitively(workflow: Workflow): void {
  const dag = indexDag(workflow);
  const n = dag.ids.length;
  const words = (n + 31) >>> 5;
  const reach: Uint32Array[] = new Array(n);
  for (const i of topologicalOrder(dag)!) {
    const r = new Uint32Array(words);
    for (const d of dag.deps[i]!) {
      const rd = reach[d]!;
      for (let w = 0; w < words; w++) r[w]! |= rd[w]!;
    }
    const kept = dag.deps[i]!.filter((d) => (r[d >>> 5]! & (1 << (d & 31))) === 0);
    for (const d of dag.deps[i]!) r[d >>> 5]! |= 1 << (d & 31);
    reach[i] = r;
    workflow.calls[i]!.deps = kept.map((d) => dag.ids[d]!);
  }
}
