import type { Scenario } from '../scenario/scenario.ts';
import type { CallTrace } from '../sim/types.ts';
import type { Rng } from '../util/random.ts';
import { compiledWorkload } from '../workload/compiled.ts';
import type { Assignment } from './assignment.ts';

/**
 * The placement search's moves (docs/bounds.md "The upper side"): each rewrites a copy of the
 * best assignment so far around the workflows at the quantile's edge. The first four change
 * that workflow itself; `relieved` and `held` change a call that shared one of its lanes.
 */
export type MoveKind = 'moved' | 'ahead' | 'behind' | 'capped' | 'relieved' | 'held';

/** Queue keys are shifted by this much to put a workflow behind every other (seconds). */
const BEHIND = 1e9;

/** What the moves need to know of the instance, computed once per search. */
export interface MoveSpace {
  W: number;
  /** ⌈q·W⌉: the rank that sets the required scale. */
  r: number;
  wl: ReturnType<typeof compiledWorkload>;
  standaloneS: Float64Array;
  callsOf: number[][];
  /** Instances that may serve each model's stages. */
  prefillFor: number[][];
  decodeFor: number[][];
  fitsDecode: (call: number, instance: number) => boolean;
}

export function moveSpace(scenario: Scenario, r: number): MoveSpace {
  const wl = compiledWorkload(scenario.workload);
  const cost = scenario.cost;
  const W = scenario.workload.workflows.length;
  const callsOf: number[][] = Array.from({ length: W }, () => []);
  for (let c = 0; c < wl.calls; c++) callsOf[wl.workflowOf[c]!]!.push(c);
  return {
    W,
    r,
    wl,
    standaloneS: scenario.standaloneS,
    callsOf,
    prefillFor: wl.models.map((m) => cost.prefillInstancesFor(m).map((i) => i.index)),
    decodeFor: wl.models.map((m) => cost.decodeInstancesFor(m).map((i) => i.index)),
    fitsDecode: (c, d) =>
      cost.kvTokens(wl.inputTokens[c]!, wl.outputTokens[c]!) <= cost.instances[d]!.kvCapacityTokens,
  };
}

export const noMoves = (): Record<MoveKind, number> => ({
  moved: 0,
  ahead: 0,
  behind: 0,
  capped: 0,
  relieved: 0,
  held: 0,
});

/**
 * Rewrites `cand` (a copy of `best.assignment`) by one move drawn from `rng` and returns its
 * kind, or null when the move found nothing to change (no candidate is simulated then). The
 * first move of a climb puts the hopeless tail behind everything.
 */
export function proposeMove(
  space: MoveSpace,
  best: { scales: Float64Array; trace: CallTrace; assignment: Assignment },
  cand: Assignment,
  first: boolean,
  rng: Rng,
): MoveKind | null {
  const { W, r, wl, standaloneS, callsOf, prefillFor, decodeFor, fitsDecode } = space;
  const order = Array.from(best.scales.keys()).sort((a, b) => best.scales[a]! - best.scales[b]! || a - b);
  const rank = new Int32Array(W);
  for (let j = 0; j < W; j++) rank[order[j]!] = j;
  // The workflows that set the quantile: the slowest of the met set, biased to the edge.
  const width = Math.max(1, Math.ceil(0.05 * W));
  const edge = () => order[Math.max(0, r - 1 - Math.floor(rng.next() ** 2 * width))]!;
  const oneOrAll = (calls: number[]) => (rng.next() < 0.5 ? [rng.choice(calls)] : calls);
  // null when the move found nothing to change (no candidate is simulated then).
  let kind: MoveKind | null = null;
  const roll = rng.next();
  if (first && r < W) {
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
    const lead = (rng.next() < 0.25 ? 100 : 1) * (0.5 + rng.next() * 4) * standaloneS[w]!;
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
      const shared = laneSharers(tr, true, tr.decodeInstance[c0]!, tr.decodeStartS[c0]!, tr.decodeEndS[c0]!);
      const cap = lift ? 0 : rng.int(1, Math.max(1, shared.length));
      for (const c of calls) cand.decodeBatchCap[c] = cap;
    } else {
      let batchTokens = 0;
      for (const o of laneSharers(
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
    const lane = decodeStage ? best.trace.decodeInstance[edgeCall]! : best.trace.prefillInstance[edgeCall]!;
    const fromS = decodeStage ? best.trace.transferEndS[edgeCall]! : best.trace.readyS[edgeCall]!;
    const untilS = decodeStage ? best.trace.decodeEndS[edgeCall]! : best.trace.prefillEndS[edgeCall]!;
    const sharers = laneSharers(best.trace, decodeStage, lane, fromS, untilS).filter(
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
      if (cand.prefill[c] !== best.assignment.prefill[c] || cand.decode[c] !== best.assignment.decode[c])
        kind = 'relieved';
    } else {
      kind = 'held';
      // Keyed at the hold, so it waits behind what arrives before it rather than blocking it.
      const holdS = untilS + (rng.next() < 0.5 ? 0 : rng.next() * standaloneS[wl.workflowOf[edgeCall]!]!);
      if (decodeStage) {
        cand.decodeNotBeforeS[c] = holdS;
        cand.decodeKey[c] = holdS;
      } else {
        cand.prefillNotBeforeS[c] = holdS;
        cand.prefillKey[c] = holdS;
      }
    }
  }
  return kind;
}

/** "3 moves, 1 ahead, 0 behind, 2 capped, 1 relieved, 4 held". */
export function describeMoves(counts: Record<MoveKind, number>): string {
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
function laneSharers(
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
