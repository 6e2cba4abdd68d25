import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { PolicyView } from './view.ts';

/**
 * A model's prefill and decode instances grouped by what their durations depend on (GPU, TP,
 * and decode slots — the profile is a function of (gpu, model, tp)), so one decision asks the
 * cost model once per distinct kind of instance instead of once per instance. hetero-32 has
 * 3 prefill kinds for 16 prefill instances; a 128-instance cluster of the same GPUs has 3 too.
 *
 * The per-instance fields a decision reads are copied into typed arrays (position k in `ps` or
 * `ds`): a decision walks every instance several times, and reading them through the
 * ResolvedInstance objects was most of its cost at 128 instances.
 *
 * The group tables returned are reused by the next call of the same method.
 */
export class ModelDurations {
  readonly ps: readonly ResolvedInstance[];
  readonly ds: readonly ResolvedInstance[];
  /** Group of each prefill (decode) instance: an index into the tables below. */
  readonly pGroup: Int32Array;
  readonly dGroup: Int32Array;
  /** ResolvedInstance.index of each prefill (decode) instance. */
  readonly pIndex: Int32Array;
  readonly dIndex: Int32Array;
  readonly dKvCapacityTokens: Float64Array;
  /** Each prefill instance's fixed cost per batch (p0), seconds: paid once however many prompts. */
  readonly pBatchFixedS: Float64Array;
  readonly dSlots: Float64Array;
  /** Positions in `ds` of the instances that can prefill too, in `ds` order. */
  readonly dMixed: Int32Array;
  /** Largest KV capacity in each decode group: the group holds a call iff some member does. */
  readonly dGroupKvCapacityTokens: Float64Array;
  private readonly cost: CostModel;
  private readonly pReps: ResolvedInstance[];
  private readonly dReps: ResolvedInstance[];
  private readonly pGroupS: Float64Array;
  private readonly dGroupS: Float64Array;

  constructor(view: PolicyView, model: number) {
    this.cost = view.cost;
    this.ps = view.prefillInstances(model);
    this.ds = view.decodeInstances(model);
    [this.pGroup, this.pReps] = group(this.ps, (i) => `${i.gpu}\0${i.tp}`);
    [this.dGroup, this.dReps] = group(this.ds, (i) => `${i.gpu}\0${i.tp}\0${i.decodeSlots}`);
    this.pIndex = Int32Array.from(this.ps, (i) => i.index);
    this.dIndex = Int32Array.from(this.ds, (i) => i.index);
    this.dKvCapacityTokens = Float64Array.from(this.ds, (i) => i.kvCapacityTokens);
    this.pBatchFixedS = Float64Array.from(this.ps, (i) => i.profile.prefill.p0_ms / 1000);
    this.dSlots = Float64Array.from(this.ds, (i) => i.decodeSlots);
    this.dMixed = Int32Array.from(this.ds.flatMap((i, k) => (i.canPrefill ? [k] : [])));
    this.dGroupKvCapacityTokens = new Float64Array(this.dReps.length).fill(Number.NEGATIVE_INFINITY);
    this.ds.forEach((i, k) => {
      const g = this.dGroup[k]!;
      this.dGroupKvCapacityTokens[g] = Math.max(this.dGroupKvCapacityTokens[g]!, i.kvCapacityTokens);
    });
    this.pGroupS = new Float64Array(this.pReps.length);
    this.dGroupS = new Float64Array(this.dReps.length);
  }

  /** cost.prefillS of each prefill group (instance k's is `[pGroup[k]]`). */
  prefillGroupS(input: number): Float64Array {
    const g = this.pGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.prefillS(this.pReps[k]!, input);
    return g;
  }

  /** cost.decodeS (exact-mode decode) of each decode group (instance k's is `[dGroup[k]]`). */
  decodeGroupS(input: number, output: number): Float64Array {
    const g = this.dGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.decodeS(this.dReps[k]!, input, output);
    return g;
  }

  /** cost.decodeAloneS (batch of one) of each decode group. */
  decodeAloneGroupS(input: number, output: number): Float64Array {
    const g = this.dGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.decodeAloneS(this.dReps[k]!, input, output);
    return g;
  }
}

function group(list: readonly ResolvedInstance[], key: (i: ResolvedInstance) => string) {
  const index = new Map<string, number>();
  const reps: ResolvedInstance[] = [];
  const of = new Int32Array(list.length);
  list.forEach((inst, k) => {
    const kk = key(inst);
    let g = index.get(kk);
    if (g === undefined) {
      g = reps.length;
      reps.push(inst);
      index.set(kk, g);
    }
    of[k] = g;
  });
  return [of, reps] as const;
}

/** The smallest of a group table (+∞ when empty): the fastest kind of instance. */
export function minOf(xs: Float64Array): number {
  let m = Number.POSITIVE_INFINITY;
  for (let k = 0; k < xs.length; k++) if (xs[k]! < m) m = xs[k]!;
  return m;
}

/** One ModelDurations per model of the run, built on first use. */
export function durationsByModel(view: PolicyView): (model: number) => ModelDurations {
  const table: ModelDurations[] = [];
  return (model) => (table[model] ??= new ModelDurations(view, model));
}
