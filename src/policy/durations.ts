import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { PolicyView } from './view.ts';

/**
 * A model's prefill and decode instances grouped by what their durations depend on (GPU, TP,
 * and decode slots — the profile is a function of (gpu, model, tp)), so one decision asks the
 * cost model once per distinct kind of instance instead of once per instance. hetero-32 has
 * 3 prefill kinds for 19 prefill instances; a 128-instance cluster of the same GPUs has 3 too.
 * The returned arrays are reused by the next call of the same method.
 */
export class ModelDurations {
  readonly ps: readonly ResolvedInstance[];
  readonly ds: readonly ResolvedInstance[];
  private readonly cost: CostModel;
  private readonly pGroup: Int32Array;
  private readonly pReps: ResolvedInstance[];
  private readonly dGroup: Int32Array;
  private readonly dReps: ResolvedInstance[];
  private readonly pGroupS: Float64Array;
  private readonly dGroupS: Float64Array;
  private readonly preS: Float64Array;
  private readonly decS: Float64Array;

  constructor(view: PolicyView, model: number) {
    this.cost = view.cost;
    this.ps = view.prefillInstances(model);
    this.ds = view.decodeInstances(model);
    [this.pGroup, this.pReps] = group(this.ps, (i) => `${i.gpu}\0${i.tp}`);
    [this.dGroup, this.dReps] = group(this.ds, (i) => `${i.gpu}\0${i.tp}\0${i.decodeSlots}`);
    this.pGroupS = new Float64Array(this.pReps.length);
    this.dGroupS = new Float64Array(this.dReps.length);
    this.preS = new Float64Array(this.ps.length);
    this.decS = new Float64Array(this.ds.length);
  }

  /** cost.prefillS of each prefill instance (same order as `ps`). */
  prefill(input: number): Float64Array {
    const g = this.pGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.prefillS(this.pReps[k]!, input);
    const out = this.preS;
    for (let k = 0; k < out.length; k++) out[k] = g[this.pGroup[k]!]!;
    return out;
  }

  /** cost.decodeS (exact-mode decode) of each decode instance (same order as `ds`). */
  decode(input: number, output: number): Float64Array {
    const g = this.dGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.decodeS(this.dReps[k]!, input, output);
    return this.spread(g);
  }

  /** cost.decodeAloneS (batch of one) of each decode instance. */
  decodeAlone(input: number, output: number): Float64Array {
    const g = this.dGroupS;
    for (let k = 0; k < g.length; k++) g[k] = this.cost.decodeAloneS(this.dReps[k]!, input, output);
    return this.spread(g);
  }

  private spread(g: Float64Array): Float64Array {
    const out = this.decS;
    for (let k = 0; k < out.length; k++) out[k] = g[this.dGroup[k]!]!;
    return out;
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

/** One ModelDurations per model of the run, built on first use. */
export function durationsByModel(view: PolicyView): (model: number) => ModelDurations {
  const table: ModelDurations[] = [];
  return (model) => (table[model] ??= new ModelDurations(view, model));
}
