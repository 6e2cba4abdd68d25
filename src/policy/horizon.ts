import { holding } from '../util/typedArrays.ts';
import { durationsByModel, type ModelDurations, minOf } from './durations.ts';
import { numericOptions } from './options.ts';
import type { PolicyView } from './view.ts';

/**
 * HexAGenT's running standalone estimate ŝ_w and horizon H_w = arrival_w + k_target · ŝ_w,
 * built only from revealed calls (docs/concepts.md "Policies"; docs/simulator.md lists the choices).
 *
 * - Each revealed call c gets a standalone cost e_c = tool_s + min over prefill instances of
 *   prefill + min over decode instances (that can hold its KV) of decode-alone. Taking the two
 *   minima separately (and no transfer) costs O(P + D) instead of the exact O(P · D) pair
 *   minimum; it is a lower bound on the exact cost and differs from it only by transfer time.
 * - Known critical path L(c) = e_c + max over deps of L(dep); depth(c) = 1 + max dep depth.
 *   knownCp_w and knownDepth_w are the maxima over the workflow's revealed calls.
 * - Unrevealed rest: (expected depth − knownDepth_w)⁺ × (knownCp_w / knownDepth_w), where the
 *   expected depth is the mean final depth of the workflow's family over workflows finished so
 *   far (learned online), or knownDepth_w + priorLevels before any of the family finished.
 * - ŝ_w = knownCp_w + rest, re-estimated on every reveal and every workflow completion.
 */
export class HorizonEstimator {
  private readonly view: PolicyView;
  readonly kTarget: number;
  readonly priorLevels: number;
  private costS = new Float64Array(1024);
  private pathS = new Float64Array(1024);
  private depth = new Int32Array(1024);
  private readonly knownCpS: Float64Array;
  private readonly knownDepth: Int32Array;
  private readonly familyDepthSum: Float64Array;
  private readonly familyDone: Int32Array;
  private readonly durations: (model: number) => ModelDurations;

  constructor(view: PolicyView, kTarget: number, priorLevels: number) {
    this.view = view;
    this.kTarget = kTarget;
    this.priorLevels = priorLevels;
    this.knownCpS = new Float64Array(view.workflowCount);
    this.knownDepth = new Int32Array(view.workflowCount);
    this.familyDepthSum = new Float64Array(view.familyCount);
    this.familyDone = new Int32Array(view.familyCount);
    this.durations = durationsByModel(view);
  }

  /** Records a newly revealed call; returns its standalone cost e_c. */
  reveal(c: number): number {
    const view = this.view;
    if (c >= this.costS.length) this.grow(c);
    const w = view.workflowOf(c);
    const e =
      view.toolS(c) + this.callStandaloneS(view.modelOf(w), view.inputTokens(c), view.outputTokens(c));
    let before = 0;
    let depthBefore = 0;
    const deps = view.depCount(c);
    for (let k = 0; k < deps; k++) {
      const dep = view.dep(c, k);
      if (this.pathS[dep]! > before) before = this.pathS[dep]!;
      if (this.depth[dep]! > depthBefore) depthBefore = this.depth[dep]!;
    }
    this.costS[c] = e;
    this.pathS[c] = before + e;
    this.depth[c] = depthBefore + 1;
    if (before + e > this.knownCpS[w]!) this.knownCpS[w] = before + e;
    if (depthBefore + 1 > this.knownDepth[w]!) this.knownDepth[w] = depthBefore + 1;
    return e;
  }

  workflowDone(w: number): void {
    const f = this.view.familyOf(w);
    this.familyDepthSum[f]! += this.knownDepth[w]!;
    this.familyDone[f]!++;
  }

  /** ŝ_w: known critical path plus the estimated unrevealed rest. */
  estimateS(w: number): number {
    const depth = this.knownDepth[w]!;
    if (depth === 0) return 0;
    const f = this.view.familyOf(w);
    const expectedDepth =
      this.familyDone[f]! > 0 ? this.familyDepthSum[f]! / this.familyDone[f]! : depth + this.priorLevels;
    const missing = expectedDepth - depth;
    const cp = this.knownCpS[w]!;
    return missing > 0 ? cp + (missing * cp) / depth : cp;
  }

  horizonS(w: number): number {
    return this.view.arrivalS(w) + this.kTarget * this.estimateS(w);
  }

  /**
   * The latest time call c can start and still let its workflow meet H_w, assuming the rest
   * after it runs at standalone speed: H_w − (ŝ_w − L(c)) − e_c. Risk at time t is
   * t − latestStart, so ordering queues by latestStart (lowest first) is "highest risk first"
   * at every instant, with a key that never needs updating while the call waits.
   */
  latestStartS(c: number): number {
    const w = this.view.workflowOf(c);
    const s = this.estimateS(w);
    const after = s - this.pathS[c]!;
    return this.view.arrivalS(w) + this.kTarget * s - Math.max(after, 0) - this.costS[c]!;
  }

  /** When c's workflow must be done for H_w with the rest after c at standalone speed: H_w − (ŝ_w − L(c)). */
  finishByS(c: number): number {
    const w = this.view.workflowOf(c);
    const s = this.estimateS(w);
    return this.view.arrivalS(w) + this.kTarget * s - Math.max(s - this.pathS[c]!, 0);
  }

  /** Standalone cost of c (set by reveal). */
  callCostS(c: number): number {
    return this.costS[c]!;
  }

  /** Minima over groups, not instances: a group's members share its durations. */
  private callStandaloneS(model: number, input: number, output: number): number {
    const table = this.durations(model);
    const pre = minOf(table.prefillGroupS(input));
    const decS = table.decodeAloneGroupS(input, output);
    const capacity = table.dGroupKvCapacityTokens;
    const need = this.view.cost.kvTokens(input, output);
    let dec = Number.POSITIVE_INFINITY;
    for (let g = 0; g < decS.length; g++) {
      if (capacity[g]! >= need && decS[g]! < dec) dec = decS[g]!;
    }
    return pre + dec;
  }

  private grow(c: number): void {
    this.costS = holding(this.costS, c);
    this.pathS = holding(this.pathS, c);
    this.depth = holding(this.depth, c);
  }
}

/** The estimator's tunables, shared by every policy built on it (hexagent, edf, hetero-oblivious). */
export const HORIZON_OPTION_DOCS = {
  k_target: 'target SLO scale defining the horizon H_w = arrival + k_target · ŝ_w (default 2)',
  prior_levels: 'unrevealed call levels assumed before any workflow of the family finished (default 1)',
};

/** A horizon estimator configured from a policy's options (unknown keys are errors). */
export function horizonFromOptions(
  policyName: string,
  view: PolicyView,
  options: Record<string, unknown>,
): HorizonEstimator {
  const o = numericOptions(policyName, options, { k_target: 2, prior_levels: 1 });
  return new HorizonEstimator(view, o.k_target, o.prior_levels);
}
