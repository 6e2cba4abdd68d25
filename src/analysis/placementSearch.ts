import type { Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { simulate } from '../sim/simulate.ts';
import type { CallTrace } from '../sim/types.ts';
import { requiredRank } from '../slo/quantile.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import { Rng } from '../util/random.ts';
import { compiledWorkload } from '../workload/compiled.ts';
import { type Assignment, assignmentPolicy, copyAssignment } from './assignment.ts';
import { describeMoves, moveSpace, noMoves, proposeMove } from './placementMoves.ts';

/**
 * Upper bounds that are schedules, found by a local search over placement, priorities and
 * idle time: a candidate fixes every call's (prefill instance, decode instance, prefill queue
 * key, decode queue key) and, optionally, a time before which a stage may not start and caps on
 * the decode and prefill batches the call is in. The realistic simulator runs it as a policy that applies
 * those decisions when each call becomes ready. The search starts from what the best policy did
 * (its instances, and the order its stages actually started in as queue keys), then moves the
 * workflows that set the quantile: a workflow's calls to other instances, a workflow ahead in
 * both queues, the hopeless tail behind everything, a cap on the batches an edge call is in;
 * and it relieves them: a call that shared a lane with an edge call is sent elsewhere or held
 * until the edge call is done. The last two are what a work-conserving engine never does on its
 * own, and on small loaded instances they are most of what the search finds (docs/bounds.md).
 * Deterministic: a fixed number of moves from a seeded generator; a wall-clock limit may only
 * cut it short, and says so.
 */
export interface PlacementSearchResult {
  scale: number;
  /** `search:<policy> placement (…)` when a move helped, else `policy:<policy>`. */
  source: string;
  evaluations: number;
  improvements: number;
  /** The best schedule's decisions, re-simulated from scratch to confirm `scale`. */
  assignment: Assignment;
  /** true when the time limit stopped the search before its moves were done. */
  timedOut: boolean;
}

export interface PlacementSearchOptions {
  quantile: number;
  /** The policy whose realistic run is the starting point. */
  policy: string;
  /**
   * The schedule to start from instead of the policy's own run — the priority search's best —
   * and the source it is reported under when no move beats it.
   */
  start?: { policy: Policy; source: string; prefillBatchTokenCap?: number };
  /** Candidate schedules to simulate (default 200). */
  moves?: number;
  /** Independent climbs the moves are shared among (default: one per 500 moves, at most 8). */
  climbs?: number;
  seed?: number;
  /** Stops early (a time limit makes the result depend on the machine; `timedOut` says so). */
  timeLimitS?: number;
  prefillTokenBudget?: number;
  /** After each candidate schedule: moves done of `moves`. */
  onMove?: (done: number, total: number) => void;
}

interface Scored {
  scale: number;
  /** Σ of the ⌈qW⌉ smallest scales: breaks ties so moves that help the met set are kept. */
  metSum: number;
  scales: Float64Array;
  /** The run's timeline, for the moves that relieve an edge call of what shared its lanes. */
  trace: CallTrace;
}

export async function searchPlacement(
  scenario: Scenario,
  options: PlacementSearchOptions,
): Promise<PlacementSearchResult> {
  const q = options.quantile;
  const W = scenario.workload.workflows.length;
  const r = requiredRank(W, q);
  const wl = compiledWorkload(scenario.workload);
  const simOptions = {
    mode: 'realistic' as const,
    ...(options.prefillTokenBudget !== undefined ? { prefillTokenBudget: options.prefillTokenBudget } : {}),
  };
  const score = (run: { scales: Float64Array; trace: CallTrace }): Scored => {
    const sorted = Float64Array.from(run.scales).sort();
    let metSum = 0;
    for (let j = 0; j < r; j++) metSum += sorted[j]!;
    return { scale: sorted[r - 1]!, metSum, scales: run.scales, trace: run.trace };
  };
  const better = (a: Scored, b: Scored) =>
    a.scale < b.scale || (a.scale === b.scale && a.metSum < b.metSum - 1e-12 * Math.abs(b.metSum));

  const start = simulate(scenario, options.start?.policy ?? getPolicy(options.policy), simOptions);
  const t = start.trace;
  let bestA: Assignment = {
    prefill: t.prefillInstance.slice(),
    decode: t.decodeInstance.slice(),
    prefillKey: t.prefillStartS.slice(),
    decodeKey: t.decodeStartS.slice(),
    prefillNotBeforeS: new Float64Array(wl.calls),
    decodeNotBeforeS: new Float64Array(wl.calls),
    decodeBatchCap: new Int32Array(wl.calls),
    prefillBatchTokenCap: new Int32Array(wl.calls).fill(options.start?.prefillBatchTokenCap ?? 0),
  };
  const run = (a: Assignment) => score(simulate(scenario, assignmentPolicy(a), simOptions));
  const policyScore = score(start);
  let best = run(bestA);
  let evaluations = 2;
  // The replay of a policy's decisions need not reproduce its run exactly (its queue keys
  // were dynamic); the policy's own run stays the reference the search must beat.
  const reference = policyScore;

  const space = moveSpace(scenario, r);

  const moves = options.moves ?? 200;
  const climbs = Math.max(1, Math.min(moves, options.climbs ?? defaultClimbs(moves)));
  const deadlineMs =
    options.timeLimitS !== undefined ? performance.now() + options.timeLimitS * 1000 : Infinity;
  let improvements = 0;
  let timedOut = false;

  // Independent climbs from the same start, each with its own generator: one climb's result
  // depends a lot on its first few kept moves (on small loaded instances, seeds alone spread
  // the result by 5%), so several shorter climbs beat one long one.
  const startA = bestA;
  const startScore = best;
  let winner = { score: best, assignment: bestA, counts: noMoves() };
  let done = 0;
  for (let climb = 0; climb < climbs && !timedOut; climb++) {
    const rng = new Rng(climb === 0 ? (options.seed ?? 1) : `${options.seed ?? 1}/climb ${climb}`);
    const climbMoves = Math.floor(moves / climbs) + (climb < moves % climbs ? 1 : 0);
    const counts = noMoves();
    best = startScore;
    bestA = startA;
    for (let m = 0; m < climbMoves; m++) {
      if (performance.now() > deadlineMs) {
        timedOut = true;
        break;
      }
      const cand = copyAssignment(bestA);
      const kind = proposeMove(
        space,
        { scales: best.scales, trace: best.trace, assignment: bestA },
        cand,
        m === 0,
        rng,
      );
      if (kind !== null) {
        const s = run(cand);
        evaluations++;
        if (better(s, best)) {
          best = s;
          bestA = cand;
          improvements++;
          counts[kind]++;
        }
      }
      options.onMove?.(++done, moves);
      await yieldToEventLoop();
    }
    if (better(best, winner.score)) winner = { score: best, assignment: bestA, counts };
  }
  best = winner.score;
  bestA = winner.assignment;
  const counts = winner.counts;
  // Re-simulate the winner from scratch: the reported scale is that of a schedule that ran.
  const verified = run(bestA);
  evaluations++;
  if (verified.scale !== best.scale) throw new Error('placement search: re-simulation disagrees');
  const won = better(best, reference) && best.scale < reference.scale;
  return {
    scale: won ? best.scale : reference.scale,
    source: won
      ? `${options.start ? `${options.start.source} + ` : `search:${options.policy} `}placement (${describeMoves(counts)})`
      : (options.start?.source ?? `policy:${options.policy}`),
    evaluations,
    improvements,
    assignment: bestA,
    timedOut,
  };
}

/** One climb per 500 moves, at most 8. */
export function defaultClimbs(moves: number): number {
  return Math.max(1, Math.min(8, Math.floor(moves / 500)));
}
