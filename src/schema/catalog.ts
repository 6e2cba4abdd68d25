import { z } from 'zod';
import { aboveLimit, belowLimit } from './limits.ts';

export const GPU_CATALOG_SCHEMA = 'hexplan/gpu-catalog@1';
export const LLM_CATALOG_SCHEMA = 'hexplan/llm-catalog@1';

/** Where a figure comes from: a public source per field, so every number can be checked. */
export const Provenance = z.record(z.string(), z.string());

export const Gpu = z.strictObject({
  name: z.string().min(1),
  memory_gb: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e5, aboveLimit(1e5)),
  /** Memory the driver reports as usable (nvidia-smi total), bytes: what KV capacity is computed from. */
  usable_memory_bytes: z.number().positive().min(1e6, belowLimit(1e6)).max(1e15, aboveLimit(1e15)),
  bf16_dense_tflops: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e7, aboveLimit(1e7)),
  hbm_gbytes_per_s: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e7, aboveLimit(1e7)),
  nvlink_gbytes_per_s: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e7, aboveLimit(1e7)),
  network_gbytes_per_s: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e7, aboveLimit(1e7)),
  power_w: z.number().positive().min(1e-3, belowLimit(1e-3)).max(1e7, aboveLimit(1e7)),
  price_per_hour: z.number().nonnegative().max(1e6, aboveLimit(1e6)),
  /** How many of this GPU may be provisioned; absent means unlimited. */
  available: z.number().int().nonnegative().optional(),
  /**
   * A GPU with no measurement of its own takes its profile from this measured GPU, scaled by the
   * two datasheets (HBM bandwidth for memory-bound terms, FLOP/s for compute-bound ones).
   */
  profile_basis: z.string().min(1).optional(),
  provenance: Provenance,
});
export type Gpu = z.infer<typeof Gpu>;

export const GpuCatalog = z.strictObject({
  schema: z.literal(GPU_CATALOG_SCHEMA),
  gpus: z.array(Gpu).min(1),
});
export type GpuCatalog = z.infer<typeof GpuCatalog>;

export const Llm = z.strictObject({
  name: z.string().min(1),
  layers: z.number().int().positive().max(1e4, aboveLimit(1e4)),
  hidden_size: z.number().int().positive().max(1e6, aboveLimit(1e6)),
  heads: z.number().int().positive().max(1e5, aboveLimit(1e5)),
  kv_heads: z.number().int().positive().max(1e5, aboveLimit(1e5)),
  head_dim: z.number().int().positive().max(1e5, aboveLimit(1e5)),
  params_b: z.number().positive().max(1e5, aboveLimit(1e5)),
  bytes_per_element: z.number().positive().min(0.125, belowLimit(0.125)).max(16, aboveLimit(16)),
  provenance: Provenance,
});
export type Llm = z.infer<typeof Llm>;

export const LlmCatalog = z.strictObject({
  schema: z.literal(LLM_CATALOG_SCHEMA),
  models: z.array(Llm).min(1),
});
export type LlmCatalog = z.infer<typeof LlmCatalog>;
