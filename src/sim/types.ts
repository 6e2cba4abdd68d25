import type { InstanceUsage } from '../policy/clusterState.ts';
import type { CallRecord, WorkflowResult } from '../schema/results.ts';
import type { Workload } from '../schema/workload.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';

export { SIM_MODES, SimMode } from '../schema/simMode.ts';

import type { SimMode } from '../schema/simMode.ts';

/**
 * Per-call timeline in columnar form (global call number = workload order), so a million-call
 * run stays a few typed arrays; `callRecords(result)` materializes CallRecord objects on demand.
 */
export interface CallTrace {
  readyS: Float64Array;
  prefillStartS: Float64Array;
  prefillEndS: Float64Array;
  transferEndS: Float64Array;
  decodeStartS: Float64Array;
  decodeEndS: Float64Array;
  prefillInstance: Int32Array;
  decodeInstance: Int32Array;
}

/** What an engine hands back: the timeline, finish times and usage. */
export interface EngineRun {
  trace: CallTrace;
  finishS: Float64Array;
  usage: InstanceUsage;
  /** Events processed (for benchmarks). */
  events: number;
}

export interface InstanceMetrics {
  id: string;
  gpu: string;
  role: string;
  /** Fraction of the makespan the prefill lane was busy. */
  prefill_utilization: number;
  /** Mean busy decode slots / slots (exact), or mean batch / slots (realistic). */
  decode_slot_utilization: number;
  /** Fraction of the makespan with at least one decode running. */
  decode_busy_fraction: number;
  /** Time-averaged KV tokens in use / capacity, and the peak fraction. */
  kv_occupancy_mean: number;
  kv_occupancy_peak: number;
}

export interface SimMetrics {
  workflows: number;
  calls: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  median: number;
  max: number;
  makespan_s: number;
  /** Attainment at the scale `goodput_scale`: workflows within it per second of makespan. */
  goodput_scale: number;
  goodput_workflows_per_s: number;
  attainment_at_goodput_scale: number;
  instances: InstanceMetrics[];
}

export interface SimResult {
  policy: string;
  mode: SimMode;
  /** scale_w per workflow, workload order. */
  scales: Float64Array;
  finishS: Float64Array;
  workflows: WorkflowResult[];
  /** Materialized lazily on first access (not enumerable, so JSON.stringify skips it). */
  readonly calls: CallRecord[];
  trace: CallTrace;
  usage: InstanceUsage;
  metrics: SimMetrics;
  /** Instance ids by ResolvedInstance.index, for the trace. */
  instanceIds: string[];
  events: number;
  /** The inputs, for call ids (not enumerable). */
  readonly workload: Workload;
  readonly compiled: CompiledWorkload;
}
