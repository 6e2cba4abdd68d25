import { z } from 'zod';
import { aboveLimit, belowLimit, LIMITS } from './limits.ts';

export const CLUSTER_SCHEMA = 'hexplan/cluster@1';

export const Role = z.enum(['prefill', 'decode', 'mixed']);
export type Role = z.infer<typeof Role>;

export const Instance = z.strictObject({
  id: z.string().min(1),
  gpu: z.string().min(1),
  model: z.string().min(1),
  /** Tensor-parallel degree: GPUs in this instance. */
  tp: z.number().int().positive().max(LIMITS.maxTp, aboveLimit(LIMITS.maxTp)).default(1),
  role: Role,
  /** Instances on the same node talk over NVLink; others over the network. */
  node: z.string().min(1),
  /**
   * Most sequences decoding at once (both modes; in exact mode a decode occupies one slot).
   * Overrides the cluster default; absent in both: derived from the instance's KV capacity and the
   * workload's mean context per call.
   */
  decode_slots: z
    .number()
    .int()
    .positive()
    .max(LIMITS.maxDecodeSlots, aboveLimit(LIMITS.maxDecodeSlots))
    .optional(),
});
export type Instance = z.infer<typeof Instance>;

/** A bandwidth that keeps KV transfer times finite (5e-324 GB/s would make them infinite). */
const bandwidth = z
  .number()
  .positive()
  .min(LIMITS.minBandwidthGBps, belowLimit(LIMITS.minBandwidthGBps))
  .max(LIMITS.maxBandwidthGBps, aboveLimit(LIMITS.maxBandwidthGBps));
const latency = z.number().nonnegative().max(LIMITS.maxLatencyMs, aboveLimit(LIMITS.maxLatencyMs));

export const LinkOverride = z.strictObject({
  from: z.string().min(1),
  to: z.string().min(1),
  bandwidth_gbytes_per_s: bandwidth,
  latency_ms: latency,
});
export type LinkOverride = z.infer<typeof LinkOverride>;

export const Links = z.strictObject({
  /** Same-node KV transfer bandwidth; default: the slower GPU's NVLink bandwidth from the catalog. */
  intra_node_gbytes_per_s: bandwidth.optional(),
  /** Cross-node KV transfer bandwidth; default: the slower GPU's network bandwidth from the catalog. */
  inter_node_gbytes_per_s: bandwidth.optional(),
  intra_node_latency_ms: latency.default(0.05),
  inter_node_latency_ms: latency.default(1),
  overrides: z.array(LinkOverride).default([]),
});
export type Links = z.infer<typeof Links>;

/**
 * How a mixed instance's prefill and decode share its GPU in realistic mode:
 * - false: side by side, as if it had a GPU for each (optimistic);
 * - true: one at a time, whole prefill batches first (a batch starts at the next decode step
 *   boundary and decode waits for it), as vLLM schedules without chunked prefill (pessimistic
 *   for an engine that chunks);
 * - "chunked": chunked prefill (Sarathi-Serve, vLLM's default): every iteration runs the decode
 *   batch's next step together with prompt chunks filling the rest of the token budget.
 */
export const MixedTimeshare = z.union([z.boolean(), z.literal('chunked')], {
  error: 'expected true, false or "chunked"',
});
export type MixedTimeshare = z.infer<typeof MixedTimeshare>;

export const Cluster = z.strictObject({
  schema: z.literal(CLUSTER_SCHEMA),
  name: z.string().optional(),
  /** Fraction of GPU memory usable for weights plus KV cache. */
  mem_util: z.number().gt(0).max(1).default(0.9),
  /** Decode batch limit of every instance that sets none; absent: derived per instance from its KV capacity. */
  default_decode_slots: z
    .number()
    .int()
    .positive()
    .max(LIMITS.maxDecodeSlots, aboveLimit(LIMITS.maxDecodeSlots))
    .optional(),
  /**
   * Exact mode prices a decode at a batch of 1 + occupancy·(slots − 1) sequences like it; default:
   * EXACT_DECODE_OCCUPANCY, fitted to realistic runs (src/profile/occupancy.ts).
   */
  exact_decode_occupancy: z.number().min(0).max(1).optional(),
  /** Optional TPOT cap (ms): a derived decode batch limit stops where the step time would exceed it. */
  max_tpot_ms: z.number().positive().max(1e7, aboveLimit(1e7)).optional(),
  /**
   * Realistic mode: how a mixed instance's prefill and decode share its GPU (MixedTimeshare).
   * Absent or false: side by side, as if the instance had a GPU for each. Exact mode ignores it.
   */
  mixed_timeshare: MixedTimeshare.optional(),
  links: Links.default({ intra_node_latency_ms: 0.05, inter_node_latency_ms: 1, overrides: [] }),
  /** Optional path (relative to the cluster file) of a profiles file that replaces roofline profiles. */
  profiles: z.string().optional(),
  instances: z.array(Instance).min(1, 'a cluster needs at least one instance'),
});
export type Cluster = z.infer<typeof Cluster>;
