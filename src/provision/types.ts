import type { CostModel, ResolvedInstance } from '../profile/costModel.ts';
import type { Role } from '../schema/cluster.ts';

/**
 * The provisioning MILP's input as plain numbers, so a test can build one by hand and the
 * builder never touches profiles: `demand.ts` derives it from a workload and a catalog.
 */
export interface InstanceType {
  index: number;
  /** `${model}|${gpu}|${role}` */
  key: string;
  model: string;
  gpu: string;
  role: Role;
  /** GPUs per instance. */
  tp: number;
  costPerHour: number;
  canPrefill: boolean;
  canDecode: boolean;
  decodeSlots: number;
  kvCapacityTokens: number;
  /** Cross-node KV bandwidth of one instance (all its tp lanes), each direction. */
  networkBytesPerS: number;
}

export interface ClassDemand {
  id: string;
  model: string;
  ratePerS: number;
  /** Mean over the class's calls, per instance type (Infinity where the type cannot serve). */
  prefillS: number[];
  decodeS: number[];
  /** Mean of decodeS × KV tokens: KV token-seconds a call holds (Little's law). */
  decodeKvTokenS: number[];
  /** Mean KV bytes moved from prefill to decode per call. */
  transferBytes: number;
}

export interface RoutePair {
  p: number;
  d: number;
}

export interface ProvisionProblem {
  types: InstanceType[];
  gpuLimits: Array<{ gpu: string; availableGpus: number | null }>;
  classes: ClassDemand[];
  pairs: RoutePair[];
  /**
   * ratio[c][k]: the worst, over class c's calls, of (tool delay + exact-mode service latency on
   * pair k: prefill + network transfer + full-batch decode) / (tool delay + standalone call
   * time); Infinity when a call's KV does not fit the decode type. Why the tool delay: it is in
   * both a workflow's latency and its standalone time, so if every call on a path keeps this
   * ratio ≤ x, the path's latency is ≤ x × the workflow's standalone time.
   */
  ratio: number[][];
}

export type ProvisionObjective = 'min-cost' | 'max-rate';

export interface MilpOptions {
  /** Utilization cap on every resource (prefill lane, decode slots, KV, network). */
  rho: number;
  /** A pair is allowed for a class when ratio ≤ latencyLimit (= share × target scale). */
  latencyLimit: number;
  objective?: ProvisionObjective;
  budgetPerHour?: number;
  /** Only these GPUs may be bought (the reference set of this solve); default all. */
  gpus?: ReadonlySet<string>;
  /** Ignore availability limits (to diagnose infeasibility). */
  ignoreAvailability?: boolean;
  /** Mixed instances time-share prefill and decode (as realistic mode runs mixed_timeshare) instead of exact mode's separate lanes. */
  mixedTimeShare?: boolean;
  /** Only these roles may be bought; default all. */
  roles?: ReadonlySet<Role>;
  /** Count vectors (per type) of clusters that missed the target in simulation. */
  excluded?: number[][];
  /** Upper bound on the rate multiplier in max-rate mode. */
  maxRateMultiplier?: number;
}

/**
 * Per-call service figures on every instance type, read from THE cost model: a probe cluster
 * holds two instances of each type, on nodes "a" and "b" of their GPU, so that
 * transferS(p_a, d_a) is the same-node (NVLink) transfer, transferS(p_a, d_b) the cross-node
 * one, and transferS(m_a, m_a) the zero transfer of a mixed instance serving both stages.
 */
export interface CallTable {
  types: InstanceType[];
  pairs: RoutePair[];
  /** [call][type] */
  prefillS: Float64Array[];
  decodeS: Float64Array[];
  /** [call][pair]: exact-mode service latency with a cross-node transfer. */
  latencyS: Float64Array[];
  kvTokens: Int32Array;
  transferBytes: Float64Array;
  /** The call's tool delay: part of both its latency and its standalone time. */
  toolS: Float64Array;
  /** Calls as [workflow, call], in workload order. */
  calls: Array<[number, number]>;
  probe: CostModel;
  /** Probe instance of type t on node a (index 2t) and b (2t + 1). */
  probeInstance(t: number, node: 'a' | 'b'): ResolvedInstance;
}
