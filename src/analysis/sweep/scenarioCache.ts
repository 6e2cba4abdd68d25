import { type Catalog, loadCatalog } from '../../profile/catalog.ts';
import { scaleLoad } from '../../provision/classes.ts';
import { loadCluster, loadWorkload } from '../../scenario/documents.ts';
import { makeScenario, type Scenario } from '../../scenario/scenario.ts';
import type { Cluster } from '../../schema/cluster.ts';
import type { Profile } from '../../schema/profile.ts';
import type { Workload } from '../../schema/workload.ts';
import { fileSha256 } from './inputs.ts';

/**
 * Loads files once per thread: a sweep runs the same few workloads and clusters many times.
 * Only the parsed files are cached; each run builds its own scenario (rate multipliers change it).
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

  /** The scenario of a cell: its workload at its load on its cluster. */
  scenario(workloadPath: string, clusterPath: string, rateMultiplier: number): Scenario {
    const workload = scaleLoad(this.workload(workloadPath), rateMultiplier);
    const { cluster, profiles, catalog } = this.cluster(clusterPath);
    return makeScenario(workload, cluster, {
      catalog,
      profiles,
      workloadFile: workloadPath,
      clusterFile: clusterPath,
    });
  }
}
