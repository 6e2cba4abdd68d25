import { basename } from 'node:path';
import { type Catalog, loadCatalog } from '../../profile/catalog.ts';
import { buildCostModel } from '../../profile/costModel.ts';
import { scaleLoad } from '../../provision/classes.ts';
import { loadCluster, loadWorkload } from '../../scenario/documents.ts';
import { makeScenario, type Scenario } from '../../scenario/scenario.ts';
import type { Cluster } from '../../schema/cluster.ts';
import type { GeneratedWorkloadSpec } from '../../schema/grid.ts';
import type { Profile } from '../../schema/profile.ts';
import type { Workload } from '../../schema/workload.ts';
import type { FamilyChoice } from '../../workload/generate/families.ts';
import { generateWorkload } from '../../workload/generate/generate.ts';
import { canonicalJson } from './canonicalJson.ts';
import { fileSha256 } from './inputs.ts';

/** What a cell's scenario is made of (the fields every cell kind with a cluster has). */
export interface ScenarioSource {
  workload: string;
  workloadPath: string | null;
  generate: GeneratedWorkloadSpec | null;
  clusterPath: string;
  rateMultiplier: number;
}

/**
 * Loads files once per thread: a sweep runs the same few workloads and clusters many times.
 * Only the parsed files (and generated workloads) are cached; each run builds its own scenario.
 */
export class ScenarioCache {
  private catalog: Catalog | null = null;
  private readonly workloads = new Map<string, Workload>();
  private readonly clusters = new Map<string, { cluster: Cluster; profiles: Profile[] }>();
  private readonly hashes = new Map<string, string>();

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

  sha256(path: string): string {
    let h = this.hashes.get(path);
    if (!h) this.hashes.set(path, (h = fileSha256(path)));
    return h;
  }

  /**
   * A generated workload at rate multiplier m: generated at load × m rather than compressed
   * after generation, so it is exactly what `hexplan gen --load` writes for that load.
   */
  generated(
    name: string,
    spec: GeneratedWorkloadSpec,
    clusterPath: string,
    rateMultiplier: number,
  ): Workload {
    const id = `${canonicalJson(spec)}|${clusterPath}|${rateMultiplier}`;
    let w = this.workloads.get(id);
    if (!w) {
      const { cluster, profiles, catalog } = this.cluster(clusterPath);
      const clusterName = cluster.name ?? basename(clusterPath, '.json');
      w = generateWorkload({
        family: spec.family as FamilyChoice,
        workflows: spec.workflows_per_instance * cluster.instances.length,
        seed: spec.seed,
        load: spec.load * rateMultiplier,
        cost: buildCostModel(cluster, { catalog, profiles, source: clusterPath }),
        clusterName,
        name: `${name}-${clusterName}-load${spec.load * rateMultiplier}`,
      }).workload;
      this.workloads.set(id, w);
    }
    return w;
  }

  /** The scenario of a cell: its workload at its load on its cluster. */
  scenario(source: ScenarioSource): Scenario {
    const { clusterPath, rateMultiplier } = source;
    const workload =
      source.generate !== null
        ? this.generated(source.workload, source.generate, clusterPath, rateMultiplier)
        : scaleLoad(this.workload(source.workloadPath!), rateMultiplier);
    const { cluster, profiles, catalog } = this.cluster(clusterPath);
    return makeScenario(workload, cluster, {
      catalog,
      profiles,
      workloadFile: source.workloadPath ?? source.workload,
      clusterFile: clusterPath,
    });
  }
}
