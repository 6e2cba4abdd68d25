import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { type CompiledWorkload, compiledWorkload } from '../workload/compiled.ts';

/**
 * What every realistic-mode schedule must spend on each call, whatever it batches with
 * (docs/bounds.md, "realistic relaxation"). All floors come from the profile coefficients the
 * engine itself uses (p0…p2, d0…d2 ≥ 0 by the profile schema), so they stay valid whatever
 * values a calibration gives them.
 *
 * Instances that are interchangeable (same GPU, model, TP, role, profile, slots, KV capacity)
 * form one group: the LP sees a group as one pool of `count` lanes, and a call's transfer to
 * or from a group is the least over its members, so merging only widens what is allowed.
 */
export interface InstanceGroup {
  model: string;
  count: number;
  canPrefill: boolean;
  canDecode: boolean;
  decodeSlots: number;
  kvCapacityTokens: number;
  /** Mixed instances whose prefill and decode share one GPU's time (ResolvedInstance.timeshare). */
  timeshare: boolean;
  members: ResolvedInstance[];
}

export interface RealisticFloors {
  compiled: CompiledWorkload;
  groups: InstanceGroup[];
  /** Per call × group (index c·G + g); +∞ where the group cannot serve that stage of c. */
  prefillAloneS: Float64Array;
  /** Instance prefill time a call consumes at least: p1·T + p2·T² (the batch pays p0 once). */
  prefillWorkS: Float64Array;
  decodeAloneS: Float64Array;
  /** Least time from a prefill's end on group g to the call's decode end: transfer + decode alone. */
  afterPrefillS: Float64Array;
  /** Least time from the call's ready to its decode's start on group g: prefill alone + transfer. */
  beforeDecodeS: Float64Array;
  /** Least ready-to-decode-end time of the call (its fastest pair). */
  minTotalS: Float64Array;
  /** Earliest ready time: arrival and tool delays along the fastest chains of its ancestors. */
  releaseS: Float64Array;
  /** Longest chain after the call's end to its workflow's end (tools + fastest totals). */
  tailS: Float64Array;
  /** Realistic critical path of each workflow (a floor on its latency). */
  workflowPathS: Float64Array;
  /** 1 for the calls of one chain realizing each workflow's critical path `workflowPathS`. */
  onChain: Uint8Array;
  /**
   * Per workflow, Σ over its chain of tool delay + least (prefill alone + transfer): what the
   * chain spends outside decoding at the very least, so its decodes together last at most
   * k·s_w minus this in a schedule where the workflow meets k.
   */
  chainBeforeDecodeS: Float64Array;
}

/**
 * Floors are shrunk by this relative margin: the engine adds chunk durations in floating
 * point, so a simulated decode may come out a few ulps shorter than its closed form.
 */
const FLOAT_MARGIN = 1 - 1e-9;

export function instanceGroups(cost: CostModel): InstanceGroup[] {
  const byKey = new Map<string, InstanceGroup>();
  for (const inst of cost.instances) {
    const key = JSON.stringify([
      inst.model,
      inst.role,
      inst.decodeSlots,
      inst.kvCapacityTokens,
      inst.timeshare,
      inst.profile.prefill,
      inst.profile.decode,
      inst.profile.kv_bytes_per_token,
    ]);
    const g = byKey.get(key);
    if (g) {
      g.count++;
      g.members.push(inst);
    } else {
      byKey.set(key, {
        model: inst.model,
        count: 1,
        canPrefill: inst.canPrefill,
        canDecode: inst.canDecode,
        decodeSlots: inst.decodeSlots,
        kvCapacityTokens: inst.kvCapacityTokens,
        timeshare: inst.timeshare,
        members: [inst],
      });
    }
  }
  return [...byKey.values()];
}

/** Distinct (seconds per token, latency) transfer laws between two groups' members. */
function transferLaws(cost: CostModel, from: InstanceGroup, to: InstanceGroup): Array<[number, number]> {
  const seen = new Map<string, [number, number]>();
  for (const p of from.members) {
    for (const d of to.members) {
      // transferS is affine in the tokens: read its slope and intercept off two points.
      const at0 = cost.transferS(p, d, 0);
      const slope = cost.transferS(p, d, 1) - at0;
      seen.set(`${slope}\0${at0}`, [slope, at0]);
    }
  }
  return [...seen.values()];
}

export function realisticFloors(scenario: Scenario): RealisticFloors {
  const { cost } = scenario;
  const wl = compiledWorkload(scenario.workload);
  const groups = instanceGroups(cost);
  const G = groups.length;
  const N = wl.calls;
  const inf = Number.POSITIVE_INFINITY;
  const mk = () => new Float64Array(N * G).fill(inf);
  const prefillAloneS = mk();
  const prefillWorkS = mk();
  const decodeAloneS = mk();
  const afterPrefillS = mk();
  const beforeDecodeS = mk();
  const minTotalS = new Float64Array(N).fill(inf);
  const laws: Array<Array<Array<[number, number]>>> = groups.map((gp) =>
    groups.map((gd) =>
      gp.canPrefill && gd.canDecode && gp.model === gd.model ? transferLaws(cost, gp, gd) : [],
    ),
  );
  const groupModel = groups.map((g) => wl.models.indexOf(g.model));
  for (let c = 0; c < N; c++) {
    const m = wl.modelOf[wl.workflowOf[c]!]!;
    const T = wl.inputTokens[c]!;
    const out = wl.outputTokens[c]!;
    const base = c * G;
    for (let g = 0; g < G; g++) {
      if (groupModel[g] !== m) continue;
      const grp = groups[g]!;
      const prof = grp.members[0]!.profile;
      if (grp.canPrefill) {
        const p = prof.prefill;
        prefillAloneS[base + g] =
          ((p.p0_ms + p.p1_ms_per_token * T + p.p2_ms_per_token2 * T * T) / 1000) * FLOAT_MARGIN;
        prefillWorkS[base + g] = ((p.p1_ms_per_token * T + p.p2_ms_per_token2 * T * T) / 1000) * FLOAT_MARGIN;
      }
      if (grp.canDecode && T + out <= grp.kvCapacityTokens) {
        const d = prof.decode;
        // Context of a sequence at its j-th step is T + j (DecodeBatch), j = 0 … out − 1.
        const contextSum = out * T + (out * (out - 1)) / 2;
        decodeAloneS[base + g] =
          ((out * (d.d0_ms + d.d1_ms_per_seq) + d.d2_ms_per_token * contextSum) / 1000) * FLOAT_MARGIN;
      }
    }
    for (let gp = 0; gp < G; gp++) {
      const pre = prefillAloneS[base + gp]!;
      if (!Number.isFinite(pre)) continue;
      for (let gd = 0; gd < G; gd++) {
        const dec = decodeAloneS[base + gd]!;
        if (!Number.isFinite(dec)) continue;
        let xfer = inf;
        for (const [slope, at0] of laws[gp]![gd]!) xfer = Math.min(xfer, slope * T + at0);
        if (!Number.isFinite(xfer)) continue;
        xfer *= FLOAT_MARGIN;
        afterPrefillS[base + gp] = Math.min(afterPrefillS[base + gp]!, xfer + dec);
        beforeDecodeS[base + gd] = Math.min(beforeDecodeS[base + gd]!, pre + xfer);
        minTotalS[c] = Math.min(minTotalS[c]!, pre + xfer + dec);
      }
    }
  }
  const { releaseS, tailS, workflowPathS, onChain } = chains(wl, minTotalS);
  const chainBeforeDecodeS = new Float64Array(wl.workflows);
  for (let c = 0; c < N; c++) {
    if (!onChain[c]) continue;
    let before = inf;
    for (let g = 0; g < G; g++) before = Math.min(before, beforeDecodeS[c * G + g]!);
    chainBeforeDecodeS[wl.workflowOf[c]!]! += wl.toolS[c]! + before;
  }
  return {
    compiled: wl,
    groups,
    prefillAloneS,
    prefillWorkS,
    decodeAloneS,
    afterPrefillS,
    beforeDecodeS,
    minTotalS,
    releaseS,
    tailS,
    workflowPathS,
    onChain,
    chainBeforeDecodeS,
  };
}

/** Forward (releases, critical paths) and backward (tails) passes over every workflow's DAG. */
function chains(wl: CompiledWorkload, minTotalS: Float64Array) {
  const N = wl.calls;
  const order = topologicalOrder(wl);
  const releaseS = new Float64Array(N);
  const tailS = new Float64Array(N);
  const workflowPathS = new Float64Array(wl.workflows);
  // The dependency that sets each call's release, and the call that ends each workflow's path.
  const via = new Int32Array(N).fill(-1);
  const pathEnd = new Int32Array(wl.workflows).fill(-1);
  for (const c of order) {
    const w = wl.workflowOf[c]!;
    let ready = wl.depStart[c] === wl.depStart[c + 1] ? wl.arrivalS[w]! : Number.NEGATIVE_INFINITY;
    for (let k = wl.depStart[c]!; k < wl.depStart[c + 1]!; k++) {
      const dep = wl.depIndex[k]!;
      if (releaseS[dep]! + minTotalS[dep]! > ready) {
        ready = releaseS[dep]! + minTotalS[dep]!;
        via[c] = dep;
      }
    }
    releaseS[c] = ready + wl.toolS[c]!;
    const path = releaseS[c]! + minTotalS[c]! - wl.arrivalS[w]!;
    if (pathEnd[w] === -1 || path > workflowPathS[w]!) {
      workflowPathS[w] = path;
      pathEnd[w] = c;
    }
  }
  const onChain = new Uint8Array(N);
  for (let w = 0; w < wl.workflows; w++) for (let c = pathEnd[w]!; c !== -1; c = via[c]!) onChain[c] = 1;
  for (let k = order.length - 1; k >= 0; k--) {
    const c = order[k]!;
    let tail = 0;
    for (let j = wl.childStart[c]!; j < wl.childStart[c + 1]!; j++) {
      const ch = wl.childIndex[j]!;
      tail = Math.max(tail, wl.toolS[ch]! + minTotalS[ch]! + tailS[ch]!);
    }
    tailS[c] = tail;
  }
  return { releaseS, tailS, workflowPathS, onChain };
}

/** Kahn's order over all calls at once (each workflow's DAG is acyclic, checked at load). */
function topologicalOrder(wl: CompiledWorkload): Int32Array {
  const N = wl.calls;
  const left = new Int32Array(N);
  const order = new Int32Array(N);
  let tail = 0;
  for (let c = 0; c < N; c++) {
    left[c] = wl.depStart[c + 1]! - wl.depStart[c]!;
    if (left[c] === 0) order[tail++] = c;
  }
  for (let head = 0; head < tail; head++) {
    const c = order[head]!;
    for (let j = wl.childStart[c]!; j < wl.childStart[c + 1]!; j++) {
      const ch = wl.childIndex[j]!;
      left[ch]!--;
      if (left[ch] === 0) order[tail++] = ch;
    }
  }
  return order;
}
