import type { Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { simulate } from '../sim/simulate.ts';
import type { CallTrace } from '../sim/types.ts';
import { requiredRank } from '../slo/quantile.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import { Rng } from '../util/random.ts';
import { compiledWorkload } from '../workload/compiled.ts';

/**
 * Upper bounds that are schedules, found by a local search over placement, priorities and
 * idle time: a candidate fixes every call's (prefill instance, decode instance, prefill queue
 * key, decode queue key) and, optionally, a time before which a stage may not start and a cap on
 * the decode batch the call shares. The realistic simulator runs it as a policy that applies
 * those decisions when each call becomes ready. The search starts from what the best policy did
 * (its instances, and the order its stages actually started in as queue keys), then moves the
 * workflows that set the quantile: a workflow's calls to other instances, a workflow ahead in
 * both queues, the hopeless tail behind everything, a cap on the batch an edge call decodes in;
 * and it relieves them: a call that shared a lane with an edge call is sent elsewhere or held
 * until the edge call is done. The last two are what a work-conserving engine never does on its
 * own, and on small loaded instances they are most of what the search finds (docs/bounds.md).
 * Deterministic: a fixed number of moves from a seeded generator; a wall-clock limit may only
 * cut it short, and says so.
 */
export interface Assignment {
  prefill: Int32Array;
  decode: Int32Array;
  prefillKey: Float64Array;
  decodeKey: Float64Array;
  /** Neither stage starts before these times (0: no hold). */
  prefillNotBeforeS: Float64Array;
  decodeNotBeforeS: Float64Array;
  /** The largest decode batch the call shares (StageOptions.decodeBatchCap; 0: the slots). */
  decodeBatchCap: Int32Array;
  /** The most prompt tokens of a prefill batch the call is in (0: the token budget). */
  prefillBatchTokenCap: Int32Array;
}

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

/** Queue keys are shifted by this much to put a workflow behind every other (seconds). */
const BEHIND = 1e9;

/** The realistic-mode policy that applies a fixed assignment to each call when it is ready. */
export function assignmentPolicy(a: Assignment): Policy {
  return {
    name: 'assignment',
    description: 'applies a fixed per-call placement and queue order (realistic search)',
    create(view) {
      return {
        place(calls) {
          for (const c of calls)
            view.assign(c, a.prefill[c]!, a.decode[c]!, a.prefillKey[c]!, {
              decodePriority: a.decodeKey[c]!,
              prefillNotBeforeS: a.prefillNotBeforeS[c]!,
              decodeNotBeforeS: a.decodeNotBeforeS[c]!,
              ...(a.decodeBatchCap[c]! > 0 ? { decodeBatchCap: a.decodeBatchCap[c]! } : {}),
              ...(a.prefillBatchTokenCap[c]! > 0 ? { prefillBatchTokenCap: a.prefillBatchTokenCap[c]! } : {}),
            });
        },
      };
    },
  };
}

interface Scored {
  scale: number;
  /** Σ of the ⌈qW⌉ smallest scales: breaks ties so moves that help the met set are kept. */
  metSum: number;
  scales: Float64Array;
  /** The run's timeline, for the moves that relieve an edge call of what shared its lanes. */
  trace: CallTrace;
}

type MoveKind = 'moved' | 'ahead' | 'behind' | 'capped' | 'relieved' | 'held';

export async function searchPlacement(
  scenario: Scenario,
  options: PlacementSearchOptions,
): Promise<PlacementSearchResult> {
  const q = options.quantile;
  const W = scenario.workload.workflows.length;
  const r = requiredRank(W, q);
  const wl = compiledWorkload(scenario.workload);
  const cost = scenario.cost;
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

  // Instances that may serve each model's stages, and each call's KV need.
  const prefillFor = wl.models.map((m) => cost.prefillInstancesFor(m).map((i) => i.index));
  const decodeFor = wl.models.map((m) => cost.decodeInstancesFor(m).map((i) => i.index));
  const fitsDecode = (c: number, d: number) =>
    cost.kvTokens(wl.inputTokens[c]!, wl.outputTokens[c]!) <= cost.instances[d]!.kvCapacityTokens;
  const callsOf: number[][] = Array.from({ length: W }, () => []);
  for (let c = 0; c < wl.calls; c++) callsOf[wl.workflowOf[c]!]!.push(c);

  const moves = options.moves ?? 200;
  const climbs = Math.max(1, Math.min(moves, options.climbs ?? defaultClimbs(moves)));
  const deadlineMs =
    options.timeLimitS !== undefined ? performance.now() + options.timeLimitS * 1000 : Infinity;
  let improvements = 0;
  let timedOut = false;
  const rankOrder = (scales: Float64Array) =>
    Array.from(scales.keys()).sort((a, b) => scales[a]! - scales[b]! || a - b);
  const noMoves = (): Record<MoveKind, number> => ({
    moved: 0,
    ahead: 0,
    behind: 0,
    capped: 0,
    relieved: 0,
    held: 0,
  });

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
      const order = rankOrder(best.scales);
      const rank = new Int32Array(W);
      for (let j = 0; j < W; j++) rank[order[j]!] = j;
      const cand: Assignment = {
        prefill: bestA.prefill.slice(),
        decode: bestA.decode.slice(),
        prefillKey: bestA.prefillKey.slice(),
        decodeKey: bestA.decodeKey.slice(),
        prefillNotBeforeS: bestA.prefillNotBeforeS.slice(),
        decodeNotBeforeS: bestA.decodeNotBeforeS.slice(),
        decodeBatchCap: bestA.decodeBatchCap.slice(),
        prefillBatchTokenCap: bestA.prefillBatchTokenCap.slice(),
      };
      // The workflows that set the quantile: the slowest of the met set, biased to the edge.
      const width = Math.max(1, Math.ceil(0.05 * W));
      const edge = () => order[Math.max(0, r - 1 - Math.floor(rng.next() ** 2 * width))]!;
      const oneOrAll = (calls: number[]) => (rng.next() < 0.5 ? [rng.choice(calls)] : calls);
      // null when the move found nothing to change (no candidate is simulated then).
      let kind: MoveKind | null = null;
      const roll = rng.next();
      if (m === 0 && r < W) {
        kind = 'behind';
        for (let j = r; j < W; j++) for (const c of callsOf[order[j]!]!) shiftKeys(cand, c, BEHIND);
      } else if (roll < 0.3) {
        kind = 'moved';
        const w = edge();
        // One call, or the whole workflow, to one other instance per stage.
        const model = wl.modelOf[w]!;
        const stage = rng.int(0, 2); // 0 prefill, 1 decode, 2 both
        const p = rng.choice(prefillFor[model]!);
        const d = rng.choice(decodeFor[model]!);
        for (const c of oneOrAll(callsOf[w]!)) {
          if (stage !== 1) cand.prefill[c] = p;
          if (stage !== 0 && fitsDecode(c, d)) cand.decode[c] = d;
        }
      } else if (roll < 0.55) {
        kind = 'ahead';
        // Ahead of every call that started up to `lead` seconds before it, in both queues.
        const w = edge();
        const lead = (rng.next() < 0.25 ? 100 : 1) * (0.5 + rng.next() * 4) * scenario.standaloneS[w]!;
        for (const c of callsOf[w]!) shiftKeys(cand, c, -lead);
      } else if (roll < 0.7) {
        kind = 'capped';
        // A smaller batch for an edge call: in decode its steps get faster, in prefill its batch
        // ends sooner; either way the lane's throughput drops. Below the batch it was in last
        // time, or none (the cap is then lifted).
        const calls = oneOrAll(callsOf[edge()]!);
        const c0 = calls[0]!;
        const tr = best.trace;
        const lift = rng.next() < 0.2;
        if (rng.next() < 0.5) {
          const shared = lanesharers(
            tr,
            true,
            tr.decodeInstance[c0]!,
            tr.decodeStartS[c0]!,
            tr.decodeEndS[c0]!,
          );
          const cap = lift ? 0 : rng.int(1, Math.max(1, shared.length));
          for (const c of calls) cand.decodeBatchCap[c] = cap;
        } else {
          let batchTokens = 0;
          for (const o of lanesharers(
            tr,
            false,
            tr.prefillInstance[c0]!,
            tr.prefillStartS[c0]!,
            tr.prefillEndS[c0]!,
          ))
            if (tr.prefillStartS[o] === tr.prefillStartS[c0]) batchTokens += wl.inputTokens[o]!;
          const own = wl.inputTokens[c0]!;
          const cap = lift ? 0 : rng.int(own, Math.max(own, batchTokens));
          for (const c of calls) cand.prefillBatchTokenCap[c] = cap;
        }
      } else {
        // A call that shared a lane with an edge call, from a workflow away from the edge, goes to
        // another instance or waits until the edge call's stage is done.
        const edgeCall = rng.choice(callsOf[edge()]!);
        const decodeStage = rng.next() < 0.7;
        const lane = decodeStage
          ? best.trace.decodeInstance[edgeCall]!
          : best.trace.prefillInstance[edgeCall]!;
        const fromS = decodeStage ? best.trace.transferEndS[edgeCall]! : best.trace.readyS[edgeCall]!;
        const untilS = decodeStage ? best.trace.decodeEndS[edgeCall]! : best.trace.prefillEndS[edgeCall]!;
        const sharers = lanesharers(best.trace, decodeStage, lane, fromS, untilS).filter(
          (c) => rank[wl.workflowOf[c]!]! < r - width || rank[wl.workflowOf[c]!]! >= r,
        );
        const c = sharers.length > 0 ? rng.choice(sharers) : -1;
        const model = c >= 0 ? wl.modelOf[wl.workflowOf[c]!]! : -1;
        if (c < 0) {
          // Nothing shared the edge call's lane.
        } else if (rng.next() < 0.5) {
          const to = rng.choice(decodeStage ? decodeFor[model]! : prefillFor[model]!);
          if (!decodeStage) cand.prefill[c] = to;
          else if (fitsDecode(c, to)) cand.decode[c] = to;
          if (cand.prefill[c] !== bestA.prefill[c] || cand.decode[c] !== bestA.decode[c]) kind = 'relieved';
        } else {
          kind = 'held';
          // Keyed at the hold, so it waits behind what arrives before it rather than blocking it.
          const holdS =
            untilS + (rng.next() < 0.5 ? 0 : rng.next() * scenario.standaloneS[wl.workflowOf[edgeCall]!]!);
          if (decodeStage) {
            cand.decodeNotBeforeS[c] = holdS;
            cand.decodeKey[c] = holdS;
          } else {
            cand.prefillNotBeforeS[c] = holdS;
            cand.prefillKey[c] = holdS;
          }
        }
      }
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

/** "3 moves, 1 ahead, 0 behind, 2 capped, 1 relieved, 4 held". */
function describeMoves(counts: Record<MoveKind, number>): string {
  const moved = `${counts.moved} moves`;
  return [
    moved,
    ...(['ahead', 'behind', 'capped', 'relieved', 'held'] as const).map((k) => `${counts[k]} ${k}`),
  ].join(', ');
}

/**
 * The calls whose stage ran on `lane` at some time in [fromS, untilS]: a decode that overlapped
 * it, or a prefill that started in it (the batches the edge call waited behind or shared).
 */
function lanesharers(
  trace: CallTrace,
  decodeStage: boolean,
  lane: number,
  fromS: number,
  untilS: number,
): number[] {
  const out: number[] = [];
  const n = trace.readyS.length;
  for (let c = 0; c < n; c++) {
    if (decodeStage) {
      if (trace.decodeInstance[c] === lane && trace.decodeStartS[c]! < untilS && trace.decodeEndS[c]! > fromS)
        out.push(c);
    } else if (
      trace.prefillInstance[c] === lane &&
      trace.prefillStartS[c]! >= fromS &&
      trace.prefillStartS[c]! < untilS
    )
      out.push(c);
  }
  return out;
}

function shiftKeys(a: Assignment, c: number, byS: number): void {
  a.prefillKey[c] = a.prefillKey[c]! + byS;
  a.decodeKey[c] = a.decodeKey[c]! + byS;
}
