import { z } from 'zod';
import { scaleSummary } from './results/simulate.ts';
import { SimMode } from './simMode.ts';

/**
 * Lines of a `hexplan sweep` results file (JSON lines), as written by
 * src/analysis/sweep/cells/*.ts. Extra fields are kept so older reports read newer lines; a line
 * without `kind` is a simulate line (files written before cells had kinds).
 */
export const SweepSimulateLine = z.looseObject({
  key: z.string().min(1),
  kind: z.literal('simulate').optional(),
  workload: z.string().min(1),
  cluster: z.string().min(1),
  policy: z.string().min(1),
  mode: SimMode,
  rate_multiplier: z.number().positive(),
  ...scaleSummary,
  /** Required SLO scale by quantile, keyed by the quantile as written in the grid ("0.95"). */
  required: z.record(z.string(), z.number()),
  makespan_s: z.number(),
  /** Required scale at q = 1 %, 2 %, …, 100 %: the attainment curve. */
  attainment_scales: z.array(z.number()).optional(),
  /** Per GPU type: mean utilization and KV occupancy of its instances (null where no instance of the role). */
  by_gpu: z.record(z.string(), z.record(z.string(), z.number().nullable())).optional(),
  cost_per_hour: z.number().optional(),
  /** A workload generated for the cell's cluster (src/schema/grid.ts GeneratedWorkloadRef), not read from a file. */
  workload_generated: z
    .looseObject({
      family: z.string(),
      workflows_per_instance: z.number(),
      seed: z.number(),
      load: z.number(),
    })
    .optional(),
});
export type SweepSimulateLine = z.infer<typeof SweepSimulateLine>;

/** A gap cell: every policy against the optimum's bounds. */
export const SweepGapLine = z.looseObject({
  key: z.string().min(1),
  kind: z.literal('gap'),
  workload: z.string().min(1),
  cluster: z.string().min(1),
  rate_multiplier: z.number().positive(),
  /** The semantics the bounds hold for. */
  mode: SimMode,
  quantile: z.number(),
  status: z.string(),
  lower_bound: z.number().nullable(),
  lower_bound_source: z.string(),
  upper_bound: z.number().nullable(),
  upper_bound_source: z.string(),
  policies: z.array(z.looseObject({ name: z.string(), scale: z.number() })),
});
export type SweepGapLine = z.infer<typeof SweepGapLine>;

/** A provision cell: the cheapest verified GPU mix at one load. */
export const SweepProvisionLine = z.looseObject({
  key: z.string().min(1),
  kind: z.literal('provision'),
  workload: z.string().min(1),
  rate_multiplier: z.number().positive(),
  quantile: z.number(),
  scale: z.number(),
  verified: z.boolean(),
  stop_reason: z.string(),
  counts: z.record(z.string(), z.record(z.string(), z.number())),
  gpus: z.number(),
  cost_per_hour: z.number(),
  lp_cost_per_hour: z.number().nullable(),
});
export type SweepProvisionLine = z.infer<typeof SweepProvisionLine>;

export const SweepResultLine = z.union([SweepGapLine, SweepProvisionLine, SweepSimulateLine]);
export type SweepResultLine = z.infer<typeof SweepResultLine>;

/** The schema of a line, chosen by its `kind`, so errors speak of the fields of that kind. */
export function sweepLineSchema(
  value: unknown,
): typeof SweepSimulateLine | typeof SweepGapLine | typeof SweepProvisionLine {
  const kind = value && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
  return kind === 'gap' ? SweepGapLine : kind === 'provision' ? SweepProvisionLine : SweepSimulateLine;
}
