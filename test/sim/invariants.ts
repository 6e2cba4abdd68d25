import type { Scenario } from '../../src/scenario/scenario.ts';
import type { SimResult } from '../../src/sim/types.ts';

const EPS = 1e-9;

/**
 * Checks a run against the semantics every mode shares, plus the exact-mode ones; returns the
 * violations (empty = fine), so a failing property shows what broke.
 */
export function invariantViolations(scenario: Scenario, r: SimResult, prefillTokenBudget = 8192): string[] {
  const out: string[] = [];
  const cost = scenario.cost;
  const t = r.trace;
  const wfs = scenario.workload.workflows;
  const exact = r.mode === 'exact';
  let c = 0;
  const base: number[] = [];
  for (const wf of wfs) {
    base.push(c);
    c += wf.calls.length;
  }
  const N = c;
  if (r.calls.length !== N) out.push(`calls: ${r.calls.length} records for ${N} calls`);
  const seen = new Set(r.calls.map((x) => `${x.workflow}\0${x.call}`));
  if (seen.size !== N) out.push('calls: duplicate records');
  wfs.forEach((wf, w) => {
    const local = new Map(wf.calls.map((call, i) => [call.id, base[w]! + i]));
    let finish = Number.NEGATIVE_INFINITY;
    wf.calls.forEach((call, i) => {
      const k = base[w]! + i;
      const id = `${wf.id}/${call.id}`;
      const p = cost.instances[t.prefillInstance[k]!];
      const d = cost.instances[t.decodeInstance[k]!];
      if (!p?.canPrefill || p.model !== wf.model) out.push(`${id}: bad prefill instance`);
      if (!d?.canDecode || d.model !== wf.model) out.push(`${id}: bad decode instance`);
      if (!p || !d) return;
      let ready = wf.arrival_s;
      if (call.deps.length > 0) ready = Math.max(...call.deps.map((dep) => t.decodeEndS[local.get(dep)!]!));
      ready += call.tool_s;
      if (Math.abs(t.readyS[k]! - ready) > EPS) out.push(`${id}: ready ${t.readyS[k]} != ${ready}`);
      if (!(t.prefillStartS[k]! >= ready - EPS)) out.push(`${id}: prefill starts before ready`);
      const tr = cost.transferS(p, d, call.input_tokens);
      if (Math.abs(t.transferEndS[k]! - t.prefillEndS[k]! - tr) > EPS) out.push(`${id}: transfer time`);
      if (!(t.decodeStartS[k]! >= t.transferEndS[k]! - EPS))
        out.push(`${id}: decode starts before its KV arrives`);
      if (!(t.decodeEndS[k]! > t.decodeStartS[k]!)) out.push(`${id}: empty decode`);
      if (exact) {
        const pre = cost.prefillS(p, call.input_tokens);
        const dec = cost.decodeS(d, call.input_tokens, call.output_tokens);
        if (Math.abs(t.prefillEndS[k]! - t.prefillStartS[k]! - pre) > EPS)
          out.push(`${id}: prefill duration`);
        if (Math.abs(t.decodeEndS[k]! - t.decodeStartS[k]! - dec) > EPS) out.push(`${id}: decode duration`);
      }
      finish = Math.max(finish, t.decodeEndS[k]!);
    });
    if (finish !== r.finishS[w]) out.push(`${wf.id}: finish ${r.finishS[w]} != ${finish}`);
    const scale = (finish - wf.arrival_s) / scenario.standaloneS[w]!;
    if (Math.abs(scale - r.scales[w]!) > EPS) out.push(`${wf.id}: scale`);
    if (exact && scale < 1 - EPS) out.push(`${wf.id}: scale ${scale} < 1 in exact mode`);
  });
  const tokens = (k: number) => {
    const w = r.compiled.workflowOf[k]!;
    const call = wfs[w]!.calls[k - base[w]!]!;
    return { input: call.input_tokens, kv: call.input_tokens + call.output_tokens };
  };
  for (const inst of cost.instances) {
    // Prefill lane: exact = disjoint intervals; realistic = disjoint batches within the budget.
    const pre: number[] = [];
    for (let k = 0; k < N; k++) if (t.prefillInstance[k] === inst.index) pre.push(k);
    pre.sort((a, b) => t.prefillStartS[a]! - t.prefillStartS[b]! || a - b);
    let laneFreeAt = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < pre.length; ) {
      const start = t.prefillStartS[pre[j]!]!;
      let batchTokens = 0;
      let size = 0;
      const end = t.prefillEndS[pre[j]!]!;
      while (j < pre.length && t.prefillStartS[pre[j]!] === start && (!exact || size === 0)) {
        if (t.prefillEndS[pre[j]!] !== end) out.push(`${inst.id}: a prefill batch with two end times`);
        batchTokens += tokens(pre[j]!).input;
        size++;
        j++;
      }
      if (start < laneFreeAt - EPS) out.push(`${inst.id}: prefills overlap at ${start}`);
      if (size > 1 && batchTokens > prefillTokenBudget) out.push(`${inst.id}: prefill batch over budget`);
      laneFreeAt = end;
    }
    // Decode: sweep starts and ends (an end at t frees before a start at t).
    const ev: Array<[number, number, number]> = [];
    for (let k = 0; k < N; k++) {
      if (t.decodeInstance[k] !== inst.index) continue;
      ev.push([t.decodeStartS[k]!, 1, tokens(k).kv]);
      ev.push([t.decodeEndS[k]!, 0, tokens(k).kv]);
    }
    ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let kv = 0;
    for (const [time, isStart, need] of ev) {
      running += isStart ? 1 : -1;
      kv += isStart ? need : -need;
      if (running > inst.decodeSlots)
        out.push(`${inst.id}: ${running} decodes > ${inst.decodeSlots} slots at ${time}`);
      if (kv > inst.kvCapacityTokens) out.push(`${inst.id}: KV ${kv} > ${inst.kvCapacityTokens} at ${time}`);
    }
  }
  return out.slice(0, 200);
}
