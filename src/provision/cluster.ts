import { CLUSTER_SCHEMA, type Cluster, type Instance, type Role } from '../schema/cluster.ts';
import type { ProvisionSetup } from './offers.ts';
import type { InstanceType } from './types.ts';

const ROLE_PREFIX: Record<Role, string> = { prefill: 'p', decode: 'd', mixed: 'm' };

/** Short GPU tag for ids: "H100-SXM5-80GB" → "h100". */
export function gpuTag(gpu: string): string {
  return (gpu.split('-')[0] ?? gpu).toLowerCase();
}

/**
 * The cluster a provisioning decision describes. Nodes hold one GPU type (a server is
 * homogeneous) and `nodeGpus` GPUs; instances never straddle nodes. Within a GPU type,
 * instances are interleaved across roles (p, d, m, p, d, …) before packing, so prefill and
 * decode instances share nodes and their KV transfers can use NVLink.
 */
export function buildProvisionedCluster(
  types: InstanceType[],
  counts: number[],
  setup: Pick<ProvisionSetup, 'nodeGpus' | 'memUtil' | 'defaultDecodeSlots' | 'mixedTimeshare'>,
  name = 'provisioned',
): Cluster {
  const instances: Instance[] = [];
  const gpus = [...new Set(types.map((t) => t.gpu))];
  for (const gpu of gpus) {
    const queues = types
      .filter((t) => t.gpu === gpu && counts[t.index]! > 0)
      .map((t) => ({ t, left: counts[t.index]!, next: 0 }));
    const ordered: Array<{ t: InstanceType; k: number }> = [];
    while (queues.some((q) => q.left > 0)) {
      for (const q of queues) {
        if (q.left === 0) continue;
        ordered.push({ t: q.t, k: q.next++ });
        q.left--;
      }
    }
    let node = -1;
    let free = 0;
    const tag = gpuTag(gpu);
    for (const { t, k } of ordered) {
      if (t.tp > free) {
        node++;
        free = Math.max(setup.nodeGpus, t.tp);
      }
      free -= t.tp;
      const modelTag = new Set(types.map((x) => x.model)).size > 1 ? `-${t.model}` : '';
      instances.push({
        id: `${ROLE_PREFIX[t.role]}-${tag}${modelTag}-${k}`,
        gpu,
        model: t.model,
        tp: t.tp,
        role: t.role,
        node: `${tag}-n${node}`,
        ...(t.decodeSlots !== setup.defaultDecodeSlots && t.canDecode ? { decode_slots: t.decodeSlots } : {}),
      });
    }
  }
  return provisionedCluster(name, setup, instances);
}

/**
 * A cluster of `instances` with the setup's cluster-wide fields, as every cluster the planner
 * builds (candidates, baselines, the floor's probes) carries them.
 */
export function provisionedCluster(
  name: string,
  setup: Pick<ProvisionSetup, 'memUtil' | 'defaultDecodeSlots' | 'mixedTimeshare'>,
  instances: Instance[],
): Cluster {
  return {
    schema: CLUSTER_SCHEMA,
    name,
    mem_util: setup.memUtil,
    default_decode_slots: setup.defaultDecodeSlots,
    ...(setup.mixedTimeshare !== false ? { mixed_timeshare: setup.mixedTimeshare } : {}),
    links: { intra_node_latency_ms: 0.05, inter_node_latency_ms: 1, overrides: [] },
    instances,
  };
}

/** {gpu: {role: instances}} for reports. */
export function countsByGpu(types: InstanceType[], counts: number[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  types.forEach((t, i) => {
    const n = counts[i]!;
    if (n <= 0) return;
    const key = new Set(types.map((x) => x.model)).size > 1 ? `${t.gpu}@${t.model}` : t.gpu;
    out[key] ??= {};
    out[key]![t.role] = (out[key]![t.role] ?? 0) + n;
  });
  return out;
}

/** "H100 1p+2d, A100 1m": a short label for progress lines. */
export function countsLabel(counts: Record<string, Record<string, number>>): string {
  return Object.entries(counts)
    .map(
      ([gpu, roles]) =>
        `${gpu.split('-')[0]} ${Object.entries(roles)
          .map(([r, n]) => `${n}${r[0]}`)
          .join('+')}`,
    )
    .join(', ');
}

export function gpuCount(types: InstanceType[], counts: number[]): number {
  return types.reduce((s, t, i) => s + t.tp * counts[i]!, 0);
}
