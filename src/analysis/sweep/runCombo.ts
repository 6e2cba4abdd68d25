import { type Catalog, loadCatalog } from '../../profile/catalog.ts';
import { scaleLoad } from '../../provision/classes.ts';
import { loadCluster, loadWorkload } from '../../scenario/documents.ts';
import { makeScenario } from '../../scenario/scenario.ts';
import type { Cluster } from '../../schema/cluster.ts';
import type { Profile } from '../../schema/profile.ts';
import type { Workload } from '../../schema/workload.ts';
import { simulate } from '../../sim/simulate.ts';
import { requiredScale } from '../../slo/quantile.ts';
import type { Combo } from './combos.ts';

/**
 * Loads files once per thread: a sweep runs the same few workloads and clusters many times.
 * Only the parsed files are cached; each run builds its own scenario (rate multipliers change it).
 */
export class ScenarioCache {
  private catalog: Catalog | null = null;
  private readonly workloads = new Map<string, Workload>();
  private readonly clusters = new Map<string, { cluster: Cluster; profiles: Profile[] }>();

  workload(path: string): Workload {
    let w = this.workloads.get(path);
    if (!w) this.workloads.set(path, (w = loadWorkload(path)));
    return w;
  }

  cluster(path: string): { cluster: Cluster; profiles: Profile[]; catalog: Catalog } {
    this.catalog ??= loadCatalog();
    let c = this.clusters.get(path);
    if (!c) this.clusters.set(path, (c = loadCluster(path, this.catalog)));
    return { ...c, catalog: this.catalog };
  }
}

/** Runs one combination and returns its result line, without the newline. */
export function runCombo(combo: Combo, cache: ScenarioCache): string {
  const workload = scaleLoad(cache.workload(combo.workloadPath), combo.rateMultiplier);
  const { cluster, profiles, catalog } = cache.cluster(combo.clusterPath);
  const scenario = makeScenario(workload, cluster, {
    catalog,
    profiles,
    workloadFile: combo.workloadPath,
    clusterFile: combo.clusterPath,
  });
  const result = simulate(scenario, combo.policy, { mode: combo.mode });
  const m = result.metrics;
  const required: Record<string, number> = {};
  for (const q of combo.quantiles) required[String(q)] = requiredScale(result.scales, q);
  return JSON.stringify({
    key: combo.key,
    workload: combo.workload,
    cluster: combo.cluster,
    policy: combo.policy,
    mode: combo.mode,
    rate_multiplier: combo.rateMultiplier,
    workflows: m.workflows,
    calls: m.calls,
    p50: m.p50,
    p95: m.p95,
    p99: m.p99,
    mean: m.mean,
    required,
    makespan_s: m.makespan_s,
  });
}
