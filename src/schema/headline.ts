import { z } from 'zod';
import { SimMode } from './simMode.ts';

export const HEADLINE_GRID_SCHEMA = 'hexplan/headline-grid@1';

/**
 * The grid behind the paper's headline: every family × cluster × offered load × mode is one
 * cell, a workload generated for it (seeded, sized per cluster instance), every policy run on it.
 */
export const HeadlineGrid = z.strictObject({
  schema: z.literal(HEADLINE_GRID_SCHEMA),
  name: z.string().optional(),
  /** Workload families of `hexplan gen` (react, mapreduce, plan-execute, tree, chat, mixed). */
  families: z.array(z.string().min(1)).min(1),
  /** Cluster files, relative to the grid file. */
  clusters: z.array(z.string().min(1)).min(1),
  /** Offered loads of the cluster's bottleneck stage (as `hexplan gen --load`). */
  loads: z.array(z.number().positive()).min(1),
  modes: z.array(SimMode).min(1).default(['exact', 'realistic']),
  /** Workflows per cell = workflows_per_instance × the cluster's instance count. */
  workflows_per_instance: z.number().int().positive(),
  seed: z.number().int().nonnegative().default(1),
  /** The baselines HexAGenT is measured against. */
  baselines: z.array(z.string().min(1)).min(1),
});
export type HeadlineGrid = z.infer<typeof HeadlineGrid>;
