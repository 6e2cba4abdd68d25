import type { Gpu, Llm } from '../schema/catalog.ts';
import type { Profile } from '../schema/profile.ts';
import { kvBytesPerToken, weightBytes } from './formulas.ts';

/**
 * Derives docs/concepts.md's profile coefficients from public specs by roofline:
 * - prefill is compute-bound: 2·params FLOPs per token (the p1 term) plus causal attention,
 *   2·layers·hidden FLOPs per token pair (the p2 term), at `prefill_mfu` of peak BF16;
 *   p0 is one read of the weights from HBM, the floor of any forward pass;
 * - a decode step is memory-bound: the weights (d0) and every context token's KV (d2) are read
 *   once per step at `decode_hbm` of peak bandwidth; each sequence adds 2·params FLOPs at
 *   `decode_seq_mfu` (d1), which absorbs the per-sequence overheads seen in measurements.
 * Tensor parallelism splits all of it evenly over `tp` GPUs; its communication cost is folded
 * into the calibrated efficiencies (they were measured at TP2).
 */
export function rooflineProfile(gpu: Gpu, llm: Llm, tp: number): Profile {
  const flopsPerMs = gpu.bf16_dense_tflops * 1e12 * tp * 1e-3;
  const bytesPerMs = gpu.hbm_gbytes_per_s * 1e9 * tp * 1e-3;
  const params = llm.params_b * 1e9;
  const weights = weightBytes(llm);
  const kvPerToken = kvBytesPerToken(llm);
  const eff = gpu.efficiency;
  return {
    gpu: gpu.name,
    model: llm.name,
    tp,
    prefill: {
      p0_ms: weights / (bytesPerMs * eff.decode_hbm),
      p1_ms_per_token: (2 * params) / (flopsPerMs * eff.prefill_mfu),
      p2_ms_per_token2: (2 * llm.layers * llm.hidden_size) / (flopsPerMs * eff.prefill_mfu),
    },
    decode: {
      d0_ms: weights / (bytesPerMs * eff.decode_hbm),
      d1_ms_per_seq: (2 * params) / (flopsPerMs * eff.decode_seq_mfu),
      d2_ms_per_token: kvPerToken / (bytesPerMs * eff.decode_hbm),
    },
    kv_bytes_per_token: kvPerToken,
    weight_bytes: weights,
    memory_bytes: gpu.memory_gb * 1e9 * tp,
    price_per_hour: gpu.price_per_hour * tp,
    power_w: gpu.power_w * tp,
    provenance: {
      method: 'roofline',
      source: `roofline from models/gpus.json (${gpu.name}) and models/llms.json (${llm.name}), tp=${tp}`,
      notes: `efficiency: prefill_mfu=${eff.prefill_mfu}, decode_hbm=${eff.decode_hbm}, decode_seq_mfu=${eff.decode_seq_mfu}`,
    },
  };
}
