import type { Policy } from '../../../src/policy/policy.ts';
import type { Scenario } from '../../../src/scenario/scenario.ts';
import { simulate } from '../../../src/sim/simulate.ts';
import { requiredScale } from '../../../src/slo/quantile.ts';
import { compiledWorkload } from '../../../src/workload/compiled.ts';

/**
 * The best required scale (q = 1) over every choice of (prefill, decode) pair per call and
 * every priority order: the realistic optimum among work-conserving schedules.
 */
export function exhaustiveBest(sc: Scenario, calls: number): number {
  const perms = permutations(calls);
  const cost = sc.cost;
  const wl = compiledWorkload(sc.workload);
  const options = Array.from({ length: calls }, (_, c) => {
    const model = sc.workload.workflows[wl.workflowOf[c]!]!.model;
    const kv = wl.inputTokens[c]! + wl.outputTokens[c]!;
    const pairs: Array<[number, number]> = [];
    for (const p of cost.prefillInstancesFor(model))
      for (const d of cost.decodeInstancesFor(model))
        if (d.kvCapacityTokens >= kv) pairs.push([p.index, d.index]);
    return pairs;
  });
  let best = Number.POSITIVE_INFINITY;
  const choice = new Array<[number, number]>(calls);
  const visit = (c: number) => {
    if (c === calls) {
      for (const order of perms) {
        const policy: Policy = {
          name: 'fixed',
          description: 'fixed placement and order (tests only)',
          create: (view) => ({
            place(ready) {
              for (const x of ready) view.assign(x, choice[x]![0], choice[x]![1], order[x]!);
            },
          }),
        };
        best = Math.min(best, requiredScale(simulate(sc, policy, { mode: 'realistic' }).scales, 1));
      }
      return;
    }
    for (const pair of options[c]!) {
      choice[c] = pair;
      visit(c + 1);
    }
  };
  visit(0);
  return best;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let i = 0; i <= rest.length; i++) out.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  }
  return out;
}
