import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { buildCostModel, type ResolvedInstance } from '../../src/profile/costModel.ts';
import { Cluster } from '../../src/schema/cluster.ts';

const cluster = Cluster.parse({
  schema: 'hexplan/cluster@1',
  instances: [
    { id: 'p0', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'prefill', node: 'n0' },
    { id: 'd0', gpu: 'A100-SXM4-80GB', model: 'Qwen2.5-32B', tp: 2, role: 'decode', node: 'n0' },
    { id: 'd1', gpu: 'H200-SXM-141GB', model: 'Qwen2.5-32B', role: 'decode', node: 'n1' },
    { id: 'm0', gpu: 'H200-SXM-141GB', model: 'Qwen2.5-32B', role: 'mixed', node: 'n1' },
  ],
});

describe('CostModel', () => {
  const cost = buildCostModel(cluster, { catalog: loadCatalog() });
  const [p0, d0, d1, m0] = cost.instances as [
    ResolvedInstance,
    ResolvedInstance,
    ResolvedInstance,
    ResolvedInstance,
  ];

  it('derives KV capacity from memory left after weights', () => {
    // Qwen2.5-32B: 32.8e9 params × 2 B = 65.6 GB; KV per token = 2·64 layers·8 heads·128·2 B = 262144 B.
    // A100 TP2: (2·80e9·0.9 − 65.6e9) / 262144 = 78.4e9 / 262144 = 299072.27…
    expect(d0.kvCapacityTokens).toBe(Math.floor(78.4e9 / 262144));
    // H200 TP1: (141e9·0.9 − 65.6e9) / 262144
    expect(d1.kvCapacityTokens).toBe(Math.floor((141e9 * 0.9 - 65.6e9) / 262144));
  });

  it('charges no transfer within a mixed instance, NVLink within a node, the network across nodes', () => {
    expect(cost.transferS(m0, m0, 1000)).toBe(0);
    const bytes = 1000 * 262144;
    // p0 (H100) → d0 (A100), same node: min NVLink 600 GB/s, one lane (min tp), 0.05 ms latency.
    expect(cost.transferS(p0, d0, 1000)).toBeCloseTo(bytes / 600e9 + 0.05e-3, 12);
    // p0 → d1 across nodes: min network 50 GB/s, 1 ms.
    expect(cost.transferS(p0, d1, 1000)).toBeCloseTo(bytes / 50e9 + 1e-3, 12);
  });

  it('makes exact-mode decode at least as long as decode alone, so scales stay ≥ 1', () => {
    for (const d of [d0, d1, m0]) {
      expect(cost.decodeS(d, 800, 200)).toBeGreaterThanOrEqual(cost.decodeAloneS(d, 800, 200));
    }
  });

  it('finds the standalone call time as the best pair, and infinity when KV fits nowhere', () => {
    const t = cost.standaloneCallS('Qwen2.5-32B', 1000, 100);
    const manual = Math.min(
      ...[p0, m0].flatMap((p) =>
        [d0, d1, m0].map(
          (d) => cost.prefillS(p, 1000) + cost.transferS(p, d, 1000) + cost.decodeAloneS(d, 1000, 100),
        ),
      ),
    );
    expect(t).toBeCloseTo(manual, 12);
    expect(cost.standaloneCallS('Qwen2.5-32B', 10_000_000, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(cost.standaloneCallS('Llama-3.1-8B', 10, 1)).toBe(Number.POSITIVE_INFINITY);
  });
});
