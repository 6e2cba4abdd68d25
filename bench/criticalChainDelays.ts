/**
 * Where a realistic run's time goes: each workflow's critical chain (from its last call back
 * through the dependency that readied each call) split into tool delays, prefill queue wait,
 * prefill batch beyond the call's own prefill, the prefill alone, transfer, decode queue wait,
 * decode slow-down from its batch and the decode alone, as fractions of the workflows'
 * standalone time; for the workflows at the q = 0.95 edge, the met set and all. Prints only.
 * Run: npx tsx bench/criticalChainDelays.ts [--policy P] [--prefill-cap TOKENS]
 * (on `gen mixed -n 300 --seed 7 --load 0.9` on hetero-6, docs/bounds.md's loaded instance,
 * or on WORKLOAD and CLUSTER when both are set).
 */
import { prefillCappedPolicy } from '../src/analysis/shapedStarts.ts';
import { getPolicy } from '../src/policy/registry.ts';
import { simulate } from '../src/sim/simulate.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { compiledWorkload } from '../src/workload/compiled.ts';
import { probedScenario } from './generatedScenario.ts';

const argAfter = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sc = probedScenario();
const wl = compiledWorkload(sc.workload);
const base = getPolicy(argAfter('--policy') ?? 'hexagent');
const cap = argAfter('--prefill-cap');
const res = simulate(sc, cap ? prefillCappedPolicy(base, Number(cap)) : base, { mode: 'realistic' });
const { trace } = res;
const cost = sc.cost;
const W = wl.arrivalS.length;
const r = requiredRank(W, 0.95);
const order = Array.from(res.scales.keys()).sort((a, b) => res.scales[a]! - res.scales[b]! || a - b);

const PARTS = [
  'tool delays',
  'prefill wait',
  'prefill batch beyond own',
  'prefill alone',
  'transfer',
  'decode wait',
  'decode batch slow-down',
  'decode alone',
] as const;

function criticalChain(w: number): number[] {
  let c = -1;
  for (let i = wl.firstCall[w]!; i < wl.firstCall[w + 1]!; i++)
    if (c < 0 || trace.decodeEndS[i]! > trace.decodeEndS[c]!) c = i;
  const chain: number[] = [];
  while (c >= 0) {
    chain.unshift(c);
    let before = -1;
    for (let k = wl.depStart[c]!; k < wl.depStart[c + 1]!; k++) {
      const d = wl.depIndex[k]!;
      if (before < 0 || trace.decodeEndS[d]! > trace.decodeEndS[before]!) before = d;
    }
    c = before;
  }
  return chain;
}

function breakdown(workflows: number[]): string {
  const total = new Float64Array(PARTS.length);
  let standalone = 0;
  for (const w of workflows) {
    standalone += sc.standaloneS[w]!;
    let previousEndS = wl.arrivalS[w]!;
    for (const c of criticalChain(w)) {
      const p = cost.instances[trace.prefillInstance[c]!]!;
      const d = cost.instances[trace.decodeInstance[c]!]!;
      const prefillAloneS = cost.prefillS(p, wl.inputTokens[c]!);
      const decodeAloneS = cost.decodeAloneS(d, wl.inputTokens[c]!, wl.outputTokens[c]!);
      const parts = [
        trace.readyS[c]! - previousEndS,
        trace.prefillStartS[c]! - trace.readyS[c]!,
        trace.prefillEndS[c]! - trace.prefillStartS[c]! - prefillAloneS,
        prefillAloneS,
        trace.transferEndS[c]! - trace.prefillEndS[c]!,
        trace.decodeStartS[c]! - trace.transferEndS[c]!,
        trace.decodeEndS[c]! - trace.decodeStartS[c]! - decodeAloneS,
        decodeAloneS,
      ];
      parts.forEach((x, i) => {
        total[i]! += x;
      });
      previousEndS = trace.decodeEndS[c]!;
    }
  }
  return PARTS.map((name, i) => `${name} ${(total[i]! / standalone).toFixed(3)}`).join(', ');
}

const width = Math.ceil(0.05 * W);
console.log(
  `${res.policy}${cap ? `, prefill batches ≤ ${cap} tokens` : ''}: p95 ${res.scales[order[r - 1]!]!.toFixed(4)}`,
);
console.log(`edge (${width} workflows): ${breakdown(order.slice(r - width, r))}`);
console.log(`met (${r}): ${breakdown(order.slice(0, r))}`);
console.log(`all (${W}): ${breakdown(order)}`);
