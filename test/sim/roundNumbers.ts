import { Cluster } from '../../src/schema/cluster.ts';
import type { Profile } from '../../src/schema/profile.ts';

/**
 * A profile with round numbers: prefill 1 ms per token, decode 10 ms per step whatever the
 * batch, 100 KV bytes per token, 1 MB of memory and no weights → floor(0.9e6 / 100) = 9000
 * KV tokens. Links: 1 GB/s and 1 ms across nodes.
 */
export const profile: Profile = {
  gpu: 'H100-SXM5-80GB',
  model: 'Qwen2.5-32B',
  tp: 1,
  prefill: { p0_ms: 0, p1_ms_per_token: 1, p2_ms_per_token2: 0 },
  decode: { d0_ms: 10, d1_ms_per_seq: 0, d2_ms_per_token: 0 },
  kv_bytes_per_token: 100,
  weight_bytes: 1,
  memory_bytes: 1e6,
  price_per_hour: 1,
  power_w: 1,
  provenance: { method: 'measured', source: 'test' },
};

export const cluster = Cluster.parse({
  schema: 'hexplan/cluster@1',
  links: { inter_node_gbytes_per_s: 1, inter_node_latency_ms: 1 },
  instances: [
    { id: 'P', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'prefill', node: 'a' },
    { id: 'D', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'decode', node: 'b', decode_slots: 1 },
  ],
});
