import { builtinProfile } from '../profile/builtin.ts';
import type { Catalog } from '../profile/catalog.ts';
import { kvCapacityTokens } from '../profile/memory.ts';
import type { Cluster } from '../schema/cluster.ts';

/** Semantic checks of a cluster against the catalog; returns `FILE: json.path: message` lines. */
export function checkCluster(file: string, cluster: Cluster, catalog: Catalog): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  cluster.instances.forEach((inst, i) => {
    const at = `${file}: instances[${i}]`;
    const prev = seen.get(inst.id);
    if (prev !== undefined)
      problems.push(`${at}.id: duplicate instance id "${inst.id}" (also instances[${prev}])`);
    else seen.set(inst.id, i);
    const gpu = catalog.gpus.get(inst.gpu);
    const llm = catalog.llms.get(inst.model);
    if (!gpu)
      problems.push(`${at}.gpu: unknown GPU "${inst.gpu}" (known: ${[...catalog.gpus.keys()].join(', ')})`);
    if (!llm) {
      problems.push(
        `${at}.model: unknown model "${inst.model}" (known: ${[...catalog.llms.keys()].join(', ')})`,
      );
    }
    if (gpu && llm) {
      const profile = builtinProfile(catalog, gpu, llm, inst.tp, at);
      if (kvCapacityTokens(profile, cluster.mem_util) <= 0) {
        const weightsGb = ((profile.weight_bytes + (profile.reserve_bytes ?? 0)) / 1e9).toFixed(1);
        const usableGb = ((profile.memory_bytes * cluster.mem_util) / 1e9).toFixed(1);
        problems.push(
          `${at}: model ${inst.model} needs ${weightsGb} GB of weights and workspace but ${inst.tp}× ${inst.gpu} ` +
            `has ${usableGb} GB usable at mem_util ${cluster.mem_util}; raise tp or pick a larger GPU`,
        );
      }
    }
  });
  const models = [...new Set(cluster.instances.map((i) => i.model))];
  for (const model of models) {
    const serving = cluster.instances.filter((i) => i.model === model);
    if (!serving.some((i) => i.role !== 'decode')) {
      problems.push(
        `${file}: instances: model ${model} has no prefill-capable instance (role prefill or mixed)`,
      );
    }
    if (!serving.some((i) => i.role !== 'prefill')) {
      problems.push(
        `${file}: instances: model ${model} has no decode-capable instance (role decode or mixed)`,
      );
    }
  }
  cluster.links.overrides.forEach((o, k) => {
    if (!seen.has(o.from)) problems.push(`${file}: links.overrides[${k}].from: unknown instance "${o.from}"`);
    if (!seen.has(o.to)) problems.push(`${file}: links.overrides[${k}].to: unknown instance "${o.to}"`);
  });
  return problems;
}
