import { z } from 'zod';
import { MixedTimeshare, Role } from './cluster.ts';
import { aboveLimit, LIMITS } from './limits.ts';

export const PROVISION_CATALOG_SCHEMA = 'hexplan/provision-catalog@1';

const tpDegree = z.number().int().positive().max(LIMITS.maxTp, aboveLimit(LIMITS.maxTp)).optional();

const TpByRole = z.strictObject({
  prefill: tpDegree,
  decode: tpDegree,
  mixed: tpDegree,
});

/** What may be bought: GPUs (from a GPU catalog), their tp per role, prices and limits. */
export const ProvisionCatalog = z.strictObject({
  schema: z.literal(PROVISION_CATALOG_SCHEMA),
  /** GPU catalog (relative to this file); default: the bundled models/gpus.json. */
  gpu_catalog: z.string().optional(),
  /** GPUs per node: instances of one GPU type are packed into nodes of this size. */
  node_gpus: z.number().int().positive().max(1024, aboveLimit(1024)).default(8),
  mem_util: z.number().gt(0).max(1).default(0.9),
  default_decode_slots: z
    .number()
    .int()
    .positive()
    .max(LIMITS.maxDecodeSlots, aboveLimit(LIMITS.maxDecodeSlots))
    .default(16),
  /** Roles the planner may use. */
  roles: z.array(Role).min(1).default(['prefill', 'decode', 'mixed']),
  /**
   * Mixed instances share one GPU between prefill and decode: every cluster the planner builds
   * carries this as its cluster field `mixed_timeshare` (true: whole prefill batches first;
   * "chunked", the default: chunked prefill, as a colocating engine such as vLLM runs them) and
   * the MILP charges both stages to one budget. False: they run side by side, as if on a GPU
   * each, which counts one GPU's time twice (docs/provision.md, "Mixed instances").
   * `provision --chunked-prefill` / `--mixed-timeshare` / `--no-mixed-timeshare` override it.
   */
  mixed_timeshare: MixedTimeshare.default('chunked'),
  gpus: z
    .array(
      z.strictObject({
        gpu: z.string().min(1),
        /** Tensor-parallel degree per role; raised automatically when the model does not fit. */
        tp: TpByRole.default({}),
        /** GPUs that may be bought; absent: the GPU catalog's `available`, else unlimited. */
        available: z.number().int().nonnegative().optional(),
        /** Overrides the GPU catalog's price per GPU-hour. */
        price_per_hour: z.number().nonnegative().max(1e6, aboveLimit(1e6)).optional(),
        decode_slots: z
          .number()
          .int()
          .positive()
          .max(LIMITS.maxDecodeSlots, aboveLimit(LIMITS.maxDecodeSlots))
          .optional(),
      }),
    )
    .min(1),
  provenance: z.record(z.string(), z.string()).optional(),
});
export type ProvisionCatalog = z.infer<typeof ProvisionCatalog>;
