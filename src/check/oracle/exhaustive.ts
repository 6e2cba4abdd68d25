import type { Scenario } from '../../scenario/scenario.ts';
import { type Objective, PLAN_SCHEMA, type Plan } from '../../schema/plan.ts';
import { type OracleProblem, oracleProblem } from './problem.ts';
import { makeScorer } from './scorer.ts';
import { DecodePool, PrefillLane } from './timeline.ts';

/**
 * The exhaustive exact oracle for tiny instances: a branch and bound over serial schedule
 * generation, sharing no code with the placement ILP (no Model, no solver).
 *
 * Activities are the 2n stages (prefill and decode of every call); a branch appends one
 * eligible stage (its predecessors placed) with one instance, placed at its EARLIEST feasible
 * start given the stages already placed (insertion into gaps allowed).
 *
 * Why this is exact for docs/concepts.md's exact-mode semantics and any regular objective (all four
 * are non-decreasing in every finish time):
 * 1. Left-shift lemma. Take any feasible schedule S and list its stages by (start, index).
 *    Generating that list with S's instances gives S' ≤ S stage by stage: by induction the
 *    predecessors of stage j end no later than in S (same durations and lags), and every
 *    stage X already placed on j's resource has S_X ≤ S_j and S'_X ≤ S_X, so X is active at a
 *    time τ ≥ S_j in S' only if it is active at τ in S; the usage j meets on [S_j, S_j + p_j)
 *    is therefore a subset of what it met in S, so S_j is feasible and the earliest fit is
 *    ≤ S_j. (Unary prefill lanes, decode slots and KV are all "count what is active" resources.)
 * 2. Fixed point. Generated schedules form a finite set; iterating step 1 from an optimal
 *    schedule never increases a start, so it reaches an optimal S* whose own (start, index)
 *    list regenerates S*. Along that list the generated (start, index) never decreases.
 * 3. So the search may keep only branches whose generated (start, index) is ≥ the previous
 *    one's without losing S*; this prunes almost every duplicate ordering. And every stage not
 *    yet placed starts ≥ the last placed start, which makes the pruning bound below valid.
 */
export interface OracleOptions {
  objective?: Objective;
  quantile?: number;
  /** Stop after this many nodes (status `limit`, the incumbent is not proven). */
  maxNodes?: number;
  /** Test aid: every list and instance choice, no ordering rule, no bound (tiny inputs only). */
  exhaustive?: boolean;
}

export interface OracleResult {
  status: 'optimal' | 'limit';
  objective: Objective;
  quantile: number;
  value: number;
  plan: Plan;
  nodes: number;
}

export function solveExact(scenario: Scenario, options: OracleOptions = {}): OracleResult {
  const objective = options.objective ?? 'quantile-scale';
  const quantile = options.quantile ?? 0.95;
  const maxNodes = options.maxNodes ?? 20_000_000;
  const ordered = !options.exhaustive;
  const prob = oracleProblem(scenario);
  const { calls } = prob;
  const n = calls.length;
  const nInst = scenario.cost.instances.length;
  const lanes = Array.from({ length: nInst }, () => new PrefillLane());
  const pools = scenario.cost.instances.map((i) => new DecodePool(i.decodeSlots, i.kvCapacityTokens));
  // Per stage a = 2g (prefill) or 2g + 1 (decode): chosen option, start, end.
  const option = new Int32Array(2 * n).fill(-1);
  const start = new Float64Array(2 * n);
  const end = new Float64Array(2 * n);
  const placedDeps = new Int32Array(n); // decodes of deps placed so far
  const scorer = makeScorer(scenario, prob, objective, quantile, lanes, pools);

  let best = Number.POSITIVE_INFINITY;
  let bestStart: Float64Array | null = null;
  let bestOption: Int32Array | null = null;
  let nodes = 0;
  let aborted = false;

  const dfs = (placed: number, lastStart: number, lastIndex: number): void => {
    if (++nodes > maxNodes) {
      aborted = true;
      return;
    }
    if (placed === 2 * n) {
      const value = scorer.complete(end);
      if (value < best) {
        best = value;
        bestStart = start.slice();
        bestOption = option.slice();
      }
      return;
    }
    if (ordered && scorer.lowerBound(option, end, lastStart) >= best) return;
    if (ordered && scorer.cannotBeat(option, end, lastStart, best)) return;
    // Children, cheapest start first so the first dive is a good greedy schedule.
    const children: Array<[number, number, number]> = [];
    for (let g = 0; g < n; g++) {
      const c = calls[g]!;
      const a = 2 * g;
      if (option[a] === -1) {
        if (placedDeps[g] !== c.deps.length) continue;
        let ready = c.deps.length === 0 ? c.arrivalS : Number.NEGATIVE_INFINITY;
        for (const d of c.deps) ready = Math.max(ready, end[2 * d + 1]!);
        ready += c.toolS;
        c.prefill.forEach((o, k) => {
          const t = lanes[o.inst]!.earliestFit(ready, o.durationS);
          if (!ordered || t > lastStart || (t === lastStart && a > lastIndex)) children.push([t, a, k]);
        });
      } else if (option[a + 1] === -1) {
        const pi = option[a]!;
        c.decode.forEach((o, k) => {
          const est = end[a]! + c.transferS[pi]![k]!;
          const t = pools[o.inst]!.earliestFit(est, o.durationS, c.kvTokens);
          if (!ordered || t > lastStart || (t === lastStart && a + 1 > lastIndex))
            children.push([t, a + 1, k]);
        });
      }
    }
    children.sort((x, y) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2]);
    for (const [t, a, k] of children) {
      const g = a >> 1;
      const c = calls[g]!;
      const isDecode = (a & 1) === 1;
      const o = isDecode ? c.decode[k]! : c.prefill[k]!;
      option[a] = k;
      start[a] = t;
      end[a] = t + o.durationS;
      if (isDecode) {
        pools[o.inst]!.push(t, end[a]!, c.kvTokens);
        for (const h of dependents(prob, g)) placedDeps[h]!++;
      } else lanes[o.inst]!.push(t, end[a]!);
      dfs(placed + 1, t, a);
      if (isDecode) {
        pools[o.inst]!.pop();
        for (const h of dependents(prob, g)) placedDeps[h]!--;
      } else lanes[o.inst]!.pop();
      option[a] = -1;
      if (aborted) return;
    }
  };
  dfs(0, Number.NEGATIVE_INFINITY, -1);
  if (!bestStart || !bestOption) throw new Error('oracle: no schedule found (node limit too small)');
  return {
    status: aborted ? 'limit' : 'optimal',
    objective,
    quantile,
    value: best,
    plan: toPlan(scenario, prob, bestStart, bestOption, objective, quantile, best, aborted),
    nodes,
  };
}

const dependentsCache = new WeakMap<OracleProblem, number[][]>();
function dependents(prob: OracleProblem, g: number): number[] {
  let lists = dependentsCache.get(prob);
  if (!lists) {
    lists = prob.calls.map(() => []);
    prob.calls.forEach((c, h) => {
      for (const d of c.deps) lists![d]!.push(h);
    });
    dependentsCache.set(prob, lists);
  }
  return lists[g]!;
}

function toPlan(
  scenario: Scenario,
  prob: OracleProblem,
  start: Float64Array,
  option: Int32Array,
  objective: Objective,
  quantile: number,
  value: number,
  aborted: boolean,
): Plan {
  const inst = scenario.cost.instances;
  return {
    schema: PLAN_SCHEMA,
    objective,
    quantile,
    reported: {
      status: aborted ? 'time_limit' : 'optimal',
      objective: value,
      lower_bound: aborted ? null : value,
      solver: 'oracle',
    },
    calls: prob.calls.map((c, g) => ({
      workflow: scenario.workload.workflows[c.workflow]!.id,
      call: c.id,
      prefill_instance: inst[c.prefill[option[2 * g]!]!.inst]!.id,
      decode_instance: inst[c.decode[option[2 * g + 1]!]!.inst]!.id,
      prefill_start_s: start[2 * g]!,
      decode_start_s: start[2 * g + 1]!,
    })),
  };
}
