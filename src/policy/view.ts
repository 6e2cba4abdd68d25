import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';
import type { ClusterState } from './clusterState.ts';

/** Where a policy sends a decision; implemented by each engine. */
export interface AssignSink {
  assign(call: number, prefill: number, decode: number, priority: number, stage?: StageOptions): void;
  rekey(call: number, priority: number, decodePriority?: number): void;
}

/** Per-stage overrides of a decision, used by `replay` to follow a plan's order and times. */
export interface StageOptions {
  /** Queue key at the decode instance (default: the prefill priority). */
  decodePriority?: number;
  /** Neither stage starts before these times (default 0). */
  prefillNotBeforeS?: number;
  decodeNotBeforeS?: number;
  /**
   * Realistic mode: the largest decode batch this call shares. It joins only a batch that stays
   * within it, and while it decodes no call joins beyond it (default: the instance's slots).
   * Lets a schedule trade a lane's throughput for one call's speed; exact mode ignores it.
   */
  decodeBatchCap?: number;
  /**
   * Realistic mode: the most prompt tokens of a prefill batch this call is in. It joins a batch
   * only within it, and no call joins its batch beyond it (default: the prefill token budget).
   * Lets a schedule keep a short prompt out of a long batch; exact mode ignores it.
   */
  prefillBatchTokenCap?: number;
}

/** Call stages a policy can observe. Hidden calls (not yet ready) are not observable at all. */
export const HIDDEN = 0;
export const REVEALED = 1;
export const DONE = 2;

/**
 * Everything a policy may see: the cluster (instances, cost model, live load) and the calls
 * revealed so far. Online reveal is enforced structurally: the workload lives in private
 * fields, and every per-call accessor throws for a call that is not revealed yet, so a policy
 * cannot peek at a workflow's future (its unrevealed calls, its size, its children).
 */
export class PolicyView {
  readonly cost: CostModel;
  readonly instances: readonly ResolvedInstance[];
  readonly state: ClusterState;
  #now = 0;
  readonly #w: CompiledWorkload;
  readonly #stage: Uint8Array;
  readonly #readyS: Float64Array;
  readonly #decodeEndS: Float64Array;
  readonly #serviceS: Float64Array;
  readonly #sink: AssignSink;
  readonly #prefillByModel: ResolvedInstance[][];
  readonly #decodeByModel: ResolvedInstance[][];

  constructor(
    cost: CostModel,
    workload: CompiledWorkload,
    state: ClusterState,
    calls: { stage: Uint8Array; readyS: Float64Array; decodeEndS: Float64Array; serviceS: Float64Array },
    sink: AssignSink,
  ) {
    this.cost = cost;
    this.instances = cost.instances;
    this.state = state;
    this.#w = workload;
    this.#stage = calls.stage;
    this.#readyS = calls.readyS;
    this.#decodeEndS = calls.decodeEndS;
    this.#serviceS = calls.serviceS;
    this.#sink = sink;
    this.#prefillByModel = workload.models.map((m) => cost.prefillInstancesFor(m));
    this.#decodeByModel = workload.models.map((m) => cost.decodeInstancesFor(m));
  }

  get nowS(): number {
    return this.#now;
  }

  /** Engine only: advances the clock the policy sees. */
  setNow(t: number): void {
    this.#now = t;
  }

  /** Number of workflows in the run (their ids and arrivals become visible as they arrive). */
  get workflowCount(): number {
    return this.#w.workflows;
  }

  // ---- revealed calls -------------------------------------------------------------------

  #check(c: number): void {
    if (this.#stage[c] === HIDDEN) throw new Error(`policy read call ${c} before it was revealed`);
  }

  workflowOf(c: number): number {
    this.#check(c);
    return this.#w.workflowOf[c]!;
  }

  inputTokens(c: number): number {
    this.#check(c);
    return this.#w.inputTokens[c]!;
  }

  outputTokens(c: number): number {
    this.#check(c);
    return this.#w.outputTokens[c]!;
  }

  toolS(c: number): number {
    this.#check(c);
    return this.#w.toolS[c]!;
  }

  readyS(c: number): number {
    this.#check(c);
    return this.#readyS[c]!;
  }

  /** Dependencies of a revealed call (all of them finished, hence revealed too). */
  depCount(c: number): number {
    this.#check(c);
    return this.#w.depStart[c + 1]! - this.#w.depStart[c]!;
  }

  dep(c: number, k: number): number {
    this.#check(c);
    return this.#w.depIndex[this.#w.depStart[c]! + k]!;
  }

  /** Decode end of a finished call; NaN while it runs. */
  endS(c: number): number {
    this.#check(c);
    return this.#stage[c] === DONE ? this.#decodeEndS[c]! : Number.NaN;
  }

  /** Busy time a finished call received (prefill + decode duration), 0 while it runs. */
  serviceS(c: number): number {
    this.#check(c);
    return this.#stage[c] === DONE ? this.#serviceS[c]! : 0;
  }

  // ---- workflows (their existence is public once a root call is revealed) ----------------

  arrivalS(w: number): number {
    return this.#w.arrivalS[w]!;
  }

  /** Model index of workflow w (into prefillInstances / decodeInstances). */
  modelOf(w: number): number {
    return this.#w.modelOf[w]!;
  }

  /** Family index of workflow w (workflows without a family share index of ""). */
  familyOf(w: number): number {
    return this.#w.familyOf[w]!;
  }

  get modelCount(): number {
    return this.#w.models.length;
  }

  get familyCount(): number {
    return this.#w.families.length;
  }

  prefillInstances(model: number): readonly ResolvedInstance[] {
    return this.#prefillByModel[model]!;
  }

  decodeInstances(model: number): readonly ResolvedInstance[] {
    return this.#decodeByModel[model]!;
  }

  // ---- decisions --------------------------------------------------------------------------

  /**
   * Sends call c to prefill instance p and decode instance d (ResolvedInstance.index), queued by
   * `priority` at both (lower runs first, ties by call number), unless `stage` says otherwise.
   */
  assign(c: number, p: number, d: number, priority: number, stage?: StageOptions): void {
    this.#check(c);
    this.#sink.assign(c, p, d, priority, stage);
  }

  /**
   * New queue keys for a placed call still waiting (prefill key, and the decode key, default
   * the prefill one): it moves within its queue now. A call no longer waiting keeps its place
   * (running, in transfer — the decode key still applies when its KV arrives — or done).
   */
  rekey(c: number, priority: number, decodePriority?: number): void {
    this.#check(c);
    this.#sink.rekey(c, priority, decodePriority);
  }
}
