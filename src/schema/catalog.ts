import { z } from 'zod';

export const GPU_CATALOG_SCHEMA = 'hexplan/gpu-catalog@1';
export const LLM_CATALOG_SCHEMA = 'hexplan/llm-catalog@1';

/** Where a figure comes from: a public source per field, so every number can be checked. */
export const Provenance = z.record(z.string(), z.string());

export const Gpu = z.strictObject({
  name: z.string().min(1),
  memory_gb: z.number().positive(),
  /** Memory the driver reports as usable (nvidia-smi total), bytes: what KV capacity is computed from. */
  usable_memory_bytes: z.number().positive(),
  bf16_dense_tflops: z.number().positive(),
  hbm_gbytes_per_s: z.number().positive(),
  nvlink_gbytes_per_s: z.number().positive(),
  network_gbytes_per_s: z.number().positive(),
  power_w: z.number().positive(),
  price_per_hour: z.number().nonnegative(),
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
  layers: z.number().int().positive(),
  hidden_size: z.number().int().positive(),
  heads: z.number().int().positive(),
  kv_heads: z.number().int().positive(),
  head_dim: z.number().int().positive(),
  params_b: z.number().positive(),
  bytes_per_element: z.number().positive(),
  provenance: Provenance,
});
export type Llm = z.infer<typeof Llm>;

export const LlmCatalog = z.strictObject({
  schema: z.literal(LLM_CATALOG_SCHEMA),
  models: z.array(Llm).min(1),
});
export type LlmCatalog = z.infer<typeof LlmCatalog>;
