import type { PolicyView } from './view.ts';

/** A plan compiled against the workload and cluster: per call (global number), its assignment. */
export interface CompiledPlan {
  prefill: Int32Array;
  decode: Int32Array;
  prefillStartS: Float64Array;
  decodeStartS: Float64Array;
}

export interface PolicyContext {
  /** Tunables from `policyOptions` / `--policy-option key=value`, checked by the policy. */
  options: Record<string, unknown>;
  /** Exact or realistic: a policy may predict differently, it never sees more. */
  mode: 'exact' | 'realistic';
  /** Realistic mode: the engine's prefill token budget per batch or chunked iteration. */
  prefillTokenBudget: number;
  /** The offline plan, for `replay`. */
  plan?: CompiledPlan;
}

/**
 * An online policy (docs/concepts.md "Policies"): one file each in src/policy/, listed once in
 * registry.ts under its own `name`. `create` returns a fresh scheduler for one run.
 */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /** Option names and what they do, for --help and error messages. */
  readonly optionDocs?: Readonly<Record<string, string>>;
  /** Follows an offline plan (`PolicyContext.plan`): not an online policy, left out of comparisons and sweeps. */
  readonly needsPlan?: boolean;
  /**
   * Kept to show what ignoring load and speed costs, not as a fair comparison (round-robin
   * `fcfs`): left out of averaged reductions unless asked for by name.
   */
  readonly strawman?: boolean;
  create(view: PolicyView, context: PolicyContext): Scheduler;
}

export interface Scheduler {
  /**
   * Decides the calls that became ready at view.nowS (given in ascending call number). Must
   * call view.assign exactly once for each, in any order; the policy chooses the order, which
   * matters only through the state its own earlier assignments leave behind.
   */
  place(calls: readonly number[]): void;
  /** A call finished decoding (its end time and service are now visible). */
  callDone?(call: number): void;
  /** A workflow finished: its last call ended and no more calls will be revealed for it. */
  workflowDone?(workflow: number): void;
}
