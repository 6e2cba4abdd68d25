import { type Catalog, loadCatalog } from '../../profile/catalog.ts';
import { scaleLoad } from '../../provision/classes.ts';
import { loadCluster, loadWorkload } from '../../scenario/documents.ts';
import { makeScenario, type Scenario } from '../../scenario/scenario.ts';
import type { Cluster } from '../../schema/cluster.ts';
import type { Profile } from '../../schema/profile.ts';
import type { Workload } from '../../schema/workload.ts';
import { runGapCell } from './cells/gap.ts';
import { runProvisionCell } from './cells/provision.ts';
import { runSimulateCell } from './cells/simulate.ts';
import type { Cell } from './cells.ts';
import { fileSha256, hexplanVersion } from './inputs.ts';

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

/**
 * Runs one cell and returns its result line, without the newline. Every line starts with the
 * cell's key and kind and ends with the version and the SHA-256 of every input file; nothing
 * in it depends on the machine or the clock (timings go to the sidecar file, see sweep.ts).
 */
export async function runCell(cell: Cell, cache: ScenarioCache): Promise<string> {
  const body =
    cell.kind === 'simulate'
      ? runSimulateCell(cell, cache)
      : cell.kind === 'gap'
        ? await runGapCell(cell, cache)
        : await runProvisionCell(cell, cache);
  const inputs = Object.fromEntries(cellFiles(cell).map(([role, path]) => [role, cache.sha256(path)]));
  return JSON.stringify({ key: cell.key, kind: cell.kind, ...body, version: hexplanVersion(), inputs });
}

/** The files a cell reads, by role, as opened. */
export function cellFiles(cell: Cell): Array<[role: string, path: string]> {
  const files: Array<[string, string]> = [['workload', cell.workloadPath]];
  if (cell.kind !== 'provision') files.push(['cluster', cell.clusterPath]);
  else if (cell.catalogPath) files.push(['catalog', cell.catalogPath]);
  return files;
}
