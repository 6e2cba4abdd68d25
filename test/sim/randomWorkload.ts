import { CLUSTER_SCHEMA, type Cluster } from '../../src/schema/cluster.ts';
import { WORKLOAD_SCHEMA, type Workload } from '../../src/schema/workload.ts';
import { Rng } from '../../src/util/random.ts';

/**
 * Small random workloads and clusters for the simulator's tests and benchmarks (independent of
 * the data helper's generators, so the simulator is tested on shapes it did not choose).
 */
export interface RandomWorkloadOptions {
  workflows: number;
  maxCalls?: number;
  /** Mean arrivals per second. */
  ratePerS?: number;
  maxInput?: number;
  maxOutput?: number;
  maxToolS?: number;
  model?: string;
  families?: number;
}

export function randomWorkload(seed: number, o: RandomWorkloadOptions): Workload {
  const rng = new Rng(seed);
  const maxCalls = o.maxCalls ?? 6;
  const rate = o.ratePerS ?? 2;
  let t = 0;
  const workflows = [];
  for (let w = 0; w < o.workflows; w++) {
    t += rng.exponential(rate);
    const n = rng.int(1, maxCalls);
    const calls = [];
    for (let i = 0; i < n; i++) {
      const deps: string[] = [];
      for (let j = Math.max(0, i - 3); j < i; j++) if (rng.bernoulli(0.5)) deps.push(`c${j}`);
      if (i > 0 && deps.length === 0 && rng.bernoulli(0.7)) deps.push(`c${i - 1}`);
      calls.push({
        id: `c${i}`,
        input_tokens: rng.int(16, o.maxInput ?? 3000),
        output_tokens: rng.int(1, o.maxOutput ?? 300),
        deps,
        tool_s: rng.bernoulli(0.5) ? 0 : Math.round(rng.uniform(0, o.maxToolS ?? 1.5) * 1000) / 1000,
      });
    }
    workflows.push({
      id: `wf${w}`,
      arrival_s: Math.round(t * 1000) / 1000,
      model: o.model ?? 'Qwen2.5-32B',
      family: `f${rng.int(0, (o.families ?? 2) - 1)}`,
      calls,
    });
  }
  return { schema: WORKLOAD_SCHEMA, name: `random-${seed}`, workflows };
}

const GPUS = ['A100-SXM4-80GB', 'H100-SXM5-80GB', 'H200-SXM-141GB'];

/** A random heterogeneous cluster with at least one prefill-capable and one decode-capable instance. */
export function randomCluster(seed: number, instances: number, slots?: number): Cluster {
  const rng = new Rng(seed);
  const list = [];
  for (let i = 0; i < instances; i++) {
    const role =
      i === 0 ? 'prefill' : i === 1 ? 'decode' : (['prefill', 'decode', 'mixed'] as const)[rng.int(0, 2)]!;
    const gpu = GPUS[rng.int(0, 2)]!;
    list.push({
      id: `i${i}`,
      gpu,
      model: 'Qwen2.5-32B',
      tp: gpu === 'A100-SXM4-80GB' && rng.bernoulli(0.5) ? 2 : 1,
      role,
      node: `n${rng.int(0, 2)}`,
      ...(role !== 'prefill' ? { decode_slots: slots ?? rng.int(1, 8) } : {}),
    });
  }
  return {
    schema: CLUSTER_SCHEMA,
    mem_util: 0.9,
    default_decode_slots: 16,
    links: { intra_node_latency_ms: 0.05, inter_node_latency_ms: 1, overrides: [] },
    instances: list,
  };
}
