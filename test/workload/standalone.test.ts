import { describe, expect, it } from 'vitest';
import { builtinProfile } from '../../src/profile/builtin.ts';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { Cluster } from '../../src/schema/cluster.ts';
import type { Workflow } from '../../src/schema/workload.ts';
import { standaloneS } from '../../src/workload/standalone.ts';

const catalog = loadCatalog();
// A profile with round numbers: prefill 10 ms + 0.1 ms/token, decode step 20 ms flat.
const profile = {
  ...builtinProfile(catalog, catalog.gpus.get('H200-SXM-141GB')!, catalog.llms.get('Qwen2.5-32B')!, 1),
  prefill: { p0_ms: 10, p1_ms_per_token: 0.1, p2_ms_per_token2: 0 },
  decode: { d0_ms: 20, d1_ms_per_seq: 0, d2_ms_per_token: 0 },
};
const cluster = Cluster.parse({
  schema: 'hexplan/cluster@1',
  instances: [{ id: 'm0', gpu: 'H200-SXM-141GB', model: 'Qwen2.5-32B', role: 'mixed', node: 'n0' }],
});
const cost = buildCostModel(cluster, { catalog, profiles: [profile] });

describe('standaloneS', () => {
  it('matches a hand computation on a diamond with a tool delay', () => {
    const wf: Workflow = {
      id: 'w',
      arrival_s: 3,
      model: 'Qwen2.5-32B',
      calls: [
        // a: 10 + 0.1·100 = 20 ms prefill, 10 tokens × 20 ms decode = 200 ms → 0.22 s
        { id: 'a', input_tokens: 100, output_tokens: 10, deps: [], tool_s: 0 },
        // b: 0.5 s tool + 30 ms + 5 × 20 ms = 0.63 s
        { id: 'b', input_tokens: 200, output_tokens: 5, deps: ['a'], tool_s: 0.5 },
        // c: 20 ms + 20 × 20 ms = 0.42 s
        { id: 'c', input_tokens: 100, output_tokens: 20, deps: ['a'], tool_s: 0 },
        // d: 0.22 s after max(a+b = 0.85, a+c = 0.64)
        { id: 'd', input_tokens: 100, output_tokens: 10, deps: ['b', 'c'], tool_s: 0 },
      ],
    };
    expect(standaloneS(wf, cost)).toBeCloseTo(0.85 + 0.22, 12);
  });
});
