import { z } from 'zod';
import { MixedTimeshare } from './cluster.ts';
import { aboveLimit, belowLimit, LIMITS } from './limits.ts';
import { SimMode } from './simMode.ts';

export const GRID_SCHEMA = 'hexplan/grid@1';

const Quantile = z.number().gt(0).max(1);

/** `gap` cells: heuristics and baselines against the optimum's bounds, one cell per workload × cluster × load. */
export const GridGap = z.strictObject({
  quantile: Quantile.default(0.95),
  /** Solver time limit per cell, seconds. */
  time_limit_s: z.number().positive().default(30),
  /**
   * Semantics the bounds hold for: `realistic` (the realistic bracket, src/analysis/realisticGap.ts)
   * or `exact` (the exact model's ILP and oracle, src/analysis/gap.ts).
   */
  mode: SimMode.default('realistic'),
  /** Seed of the realistic schedule searches. */
  seed: z.number().int().nonnegative().default(1),
  /** Policies compared (default: every online one). */
  policies: z.array(z.string().min(1)).min(1).optional(),
});
export type GridGap = z.infer<typeof GridGap>;

/** `provision` cells: the cheapest verified GPU mix for each workload × load. */
export const GridProvision = z.strictObject({
  quantile: Quantile.default(0.95),
  /** Required SLO scale at the quantile. */
  scale: z.number().gt(1),
  /** Provisioning or GPU catalog file, relative to the grid file (default: the bundled one). */
  catalog: z.string().min(1).optional(),
  /** Homogeneous and no-PD baselines too (slower). */
  baselines: z.boolean().default(false),
  time_limit_s: z.number().positive().optional(),
  /**
   * How mixed instances use their GPU: "chunked" shared by chunked prefill (`provision
   * --chunked-prefill`), true shared with whole prefill batches first (`--mixed-timeshare`),
   * false side by side (`--no-mixed-timeshare`). Absent: the catalog's. No default, so the cell
   * keys of grids without it stay as they were and old results resume.
   */
  mixed_timeshare: MixedTimeshare.optional(),
});
export type GridProvision = z.infer<typeof GridProvision>;

/** Generated workflows per instance: 100k per instance is already hours of simulation. */
const MAX_WORKFLOWS_PER_INSTANCE = 100_000;

/**
 * A workload generated for each cluster of the grid instead of read from a file, as `hexplan gen
 * --family F --workflows N·instances --seed S --load L·m` would write it for that cluster at rate
 * multiplier m: the same shapes at every multiplier, arrivals compressed.
 */
export const GeneratedWorkloadRef = z.strictObject({
  /** What result lines and reports call it. */
  name: z.string().min(1),
  generate: z.strictObject({
    /** A family of `hexplan gen` (react, mapreduce, plan-execute, tree, chat, mixed). */
    family: z.string().min(1),
    /** Workflows = this × the cluster's instance count. */
    workflows_per_instance: z
      .number()
      .int()
      .positive()
      .max(MAX_WORKFLOWS_PER_INSTANCE, aboveLimit(MAX_WORKFLOWS_PER_INSTANCE)),
    seed: z.number().int().nonnegative().default(1),
    /** Offered load of the cluster's bottleneck stage at rate multiplier 1. */
    load: z
      .number()
      .positive()
      .max(LIMITS.maxRateMultiplier, aboveLimit(LIMITS.maxRateMultiplier))
      .default(1),
  }),
});
export type GeneratedWorkloadRef = z.infer<typeof GeneratedWorkloadRef>;
export type GeneratedWorkloadSpec = GeneratedWorkloadRef['generate'];

/**
 * A sweep. Simulate cells: every workload × cluster × policy × mode × rate multiplier. With a
 * `gap` section, one gap cell per workload × cluster × rate multiplier; with a `provision`
 * section, one provision cell per workload × rate multiplier.
 */
export const Grid = z.strictObject({
  schema: z.literal(GRID_SCHEMA),
  name: z.string().optional(),
  /** Workload files, relative to the grid file, or workloads generated per cluster. */
  workloads: z.array(z.union([z.string().min(1), GeneratedWorkloadRef])).min(1),
  /** Cluster files, relative to the grid file. */
  clusters: z.array(z.string().min(1)).min(1),
  /** Policies of the simulate cells (an empty list: gap and provision cells only). */
  policies: z.array(z.string().min(1)),
  /** Options per policy name, passed to the policy as `hexplan simulate --policy-options` does. */
  policy_options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  modes: z.array(SimMode).min(1).default(['exact']),
  /** Load multipliers: arrivals compressed as arrival_s / m. */
  rate_multipliers: z
    .array(
      z
        .number()
        .positive()
        .min(LIMITS.minRateMultiplier, belowLimit(LIMITS.minRateMultiplier))
        .max(LIMITS.maxRateMultiplier, aboveLimit(LIMITS.maxRateMultiplier)),
    )
    .min(1)
    .default([1]),
  /** Quantiles q whose required scale each result line reports. */
  quantiles: z.array(Quantile).min(1).default([0.95, 0.99]),
  gap: GridGap.optional(),
  provision: GridProvision.optional(),
});
export type Grid = z.infer<typeof Grid>;
