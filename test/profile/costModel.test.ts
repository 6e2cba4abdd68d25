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

  it('derives KV capacity from usable memory in bytes less weights and the workspace reserve', () => {
    // Qwen2.5-32B: 32.8e9 params × 2 B = 65.6e9 B; KV per token = 2·64 layers·8 heads·128·2 B = 262144 B.
    // Reserve per GPU: 1 GiB + 8192 tokens · 8 · 5120 hidden · 2 B = 1,744,830,464 B.
    const reservePerGpu = 2 ** 30 + 8192 * 8 * 5120 * 2;
    // A100 TP2: 2 · 85,899,345,920 usable bytes (nvidia-smi 81920 MiB).
    expect(d0.kvCapacityTokens).toBe(
      Math.floor((2 * 85899345920 * 0.9 - 65.6e9 - 2 * reservePerGpu) / 262144),
    );
    // H200 TP1: 150,754,820,096 usable bytes (nvidia-smi 143771 MiB).
    expect(d1.kvCapacityTokens).toBe(Math.floor((150754820096 * 0.9 - 65.6e9 - reservePerGpu) / 262144));
  });

  it('derives a per-instance decode batch limit from KV capacity: an H200 batches more than an H100', () => {
    const c = Cluster.parse({
      schema: 'hexplan/cluster@1',
      instances: [
        { id: 'p', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'prefill', node: 'n0' },
        { id: 'h100', gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', role: 'decode', node: 'n0' },
        { id: 'h200', gpu: 'H200-SXM-141GB', model: 'Qwen2.5-32B', role: 'decode', node: 'n0' },
        {
          id: 'fixed',
          gpu: 'H200-SXM-141GB',
          model: 'Qwen2.5-32B',
          role: 'decode',
          node: 'n0',
          decode_slots: 5,
        },
      ],
    });
    const ctx = new Map([['Qwen2.5-32B', 3000]]);
    const m = buildCostModel(c, { catalog: loadCatalog(), contextTokensPerCall: ctx });
    const [, h100, h200, fixed] = m.instances as [
      ResolvedInstance,
      ResolvedInstance,
      ResolvedInstance,
      ResolvedInstance,
    ];
    expect(h100.decodeSlots).toBe(Math.floor(h100.kvCapacityTokens / 3000));
    expect(h200.decodeSlots).toBe(Math.floor(h200.kvCapacityTokens / 3000));
    expect(h200.decodeSlots).toBeGreaterThan(5 * h100.decodeSlots);
    expect(fixed.decodeSlots).toBe(5);
    // A cluster-wide default still wins over the derived limit, and a TPOT cap lowers it.
    const byDefault = buildCostModel({ ...c, default_decode_slots: 7 }, { contextTokensPerCall: ctx });
    expect(byDefault.instances[2]!.decodeSlots).toBe(7);
    const capped = buildCostModel({ ...c, max_tpot_ms: 30 }, { contextTokensPerCall: ctx });
    const capProfile = capped.instances[2]!;
    expect(capProfile.decodeSlots).toBeLessThan(h200.decodeSlots);
    const step = (b: number) =>
      capProfile.profile.decode.d0_ms +
      capProfile.profile.decode.d1_ms_per_seq * b +
      capProfile.profile.decode.d2_ms_per_token * b * 3000;
    expect(step(capProfile.decodeSlots)).toBeLessThanOrEqual(30);
    expect(step(capProfile.decodeSlots + 1)).toBeGreaterThan(30);
  });

  it('prices an exact-mode decode at the nominal occupancy, not a full batch', () => {
    const full = (d: ResolvedInstance) =>
      (200 *
        (d.profile.decode.d0_ms +
          d.profile.decode.d1_ms_per_seq * d.decodeSlots +
          d.profile.decode.d2_ms_per_token * d.decodeSlots * 900)) /
      1000;
    for (const d of [d0, d1]) {
      expect(d.nominalDecodeBatch).toBeGreaterThan(1);
      expect(d.nominalDecodeBatch).toBeLessThan(d.decodeSlots);
      expect(cost.decodeS(d, 800, 200)).toBeLessThan(full(d));
    }
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
