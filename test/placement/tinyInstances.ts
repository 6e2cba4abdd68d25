import { makeScenario, type Scenario } from '../../src/scenario/scenario.ts';
import { CLUSTER_SCHEMA, type Cluster } from '../../src/schema/cluster.ts';
import { WORKLOAD_SCHEMA, type Workload } from '../../src/schema/workload.ts';
import { Rng } from '../../src/util/random.ts';

const MODEL = 'Qwen2.5-32B';
const GPUS = ['H100-SXM5-80GB', 'A100-SXM4-80GB', 'H200-SXM-141GB'];

/**
 * A seeded random tiny instance where capacity binds: 1–2 slots per decode instance, long
 * prompts (an H100 decode instance holds ~24k KV tokens), arrivals close together.
 */
export function tinyScenario(seed: number, options: { calls?: number; deadlines?: boolean } = {}): Scenario {
  const rng = new Rng(`placement-test/${seed}`);
  const instances: Cluster['instances'] = [];
  const nPrefill = rng.int(1, 2);
  for (let i = 0; i < nPrefill; i++) {
    instances.push({
      id: `p${i}`,
      gpu: rng.choice(GPUS),
      model: MODEL,
      tp: 1,
      role: 'prefill',
      node: `n${rng.int(0, 1)}`,
    });
  }
  const nDecode = rng.int(1, 2);
  for (let i = 0; i < nDecode; i++) {
    instances.push({
      id: `d${i}`,
      gpu: rng.choice(GPUS),
      model: MODEL,
      tp: 1,
      role: rng.bernoulli(0.3) ? 'mixed' : 'decode',
      node: `n${rng.int(0, 1)}`,
      decode_slots: rng.int(1, 2),
    });
  }
  // Keep every call placeable: one decode instance with plenty of KV.
  instances.push({
    id: 'dbig',
    gpu: 'H200-SXM-141GB',
    model: MODEL,
    tp: 1,
    role: 'decode',
    node: 'n0',
    decode_slots: 2,
  });
  const cluster: Cluster = {
    schema: CLUSTER_SCHEMA,
    mem_util: 0.9,
    default_decode_slots: 2,
    links: { intra_node_latency_ms: 0.05, inter_node_latency_ms: 1, overrides: [] },
    instances,
  };
  const target = options.calls ?? rng.int(3, 6);
  const workflows: Workload['workflows'] = [];
  let n = 0;
  for (let w = 0; n < target; w++) {
    const size = Math.min(target - n, rng.int(1, 3));
    const calls = Array.from({ length: size }, (_, c) => ({
      id: `c${c}`,
      input_tokens: rng.int(500, 9000),
      output_tokens: rng.int(20, 150),
      deps: c === 0 ? [] : rng.bernoulli(0.7) ? [`c${rng.int(0, c - 1)}`] : [],
      tool_s: rng.bernoulli(0.5) ? Math.round(rng.uniform(0, 2) * 100) / 100 : 0,
    }));
    workflows.push({
      id: `w${w}`,
      arrival_s: Math.round(rng.uniform(0, 3) * 100) / 100,
      model: MODEL,
      ...(options.deadlines ? { deadline_s: Math.round(rng.uniform(2, 12) * 10) / 10 } : {}),
      calls,
    });
    n += size;
  }
  const workload: Workload = { schema: WORKLOAD_SCHEMA, workflows };
  return makeScenario(workload, cluster, {
    workloadFile: `tiny-${seed}`,
    clusterFile: `tiny-cluster-${seed}`,
  });
}
