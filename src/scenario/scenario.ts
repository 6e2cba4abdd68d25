import { displayPath } from '../io/files.ts';
import { throwIfProblems } from '../io/loadDocument.ts';
import { packagePath } from '../io/packageRoot.ts';
import { type Catalog, loadCatalog } from '../profile/catalog.ts';
import { buildCostModel, type CostModel } from '../profile/costModel.ts';
import type { Cluster } from '../schema/cluster.ts';
import type { Profile } from '../schema/profile.ts';
import type { Workload } from '../schema/workload.ts';
import { checkWorkloadOnCluster, standaloneTimesS } from '../workload/standalone.ts';
import { loadCluster, loadWorkload } from './documents.ts';

export const DEFAULT_WORKLOAD = packagePath('instances', 'workloads', 'small.json');
export const DEFAULT_CLUSTER = packagePath('instances', 'clusters', 'hetero-6.json');

/** A workload on a cluster, resolved and checked: what every simulation and solve starts from. */
export interface Scenario {
  workload: Workload;
  cluster: Cluster;
  cost: CostModel;
  /** Standalone time of each workflow, in workload order. */
  standaloneS: Float64Array;
  workloadFile: string;
  clusterFile: string;
}

/** Builds a scenario from values already in memory (notebooks, tests, generators). */
export function makeScenario(
  workload: Workload,
  cluster: Cluster,
  options: { catalog?: Catalog; workloadFile?: string; clusterFile?: string; profiles?: Profile[] } = {},
): Scenario {
  const workloadFile = options.workloadFile ?? 'workload';
  const clusterFile = options.clusterFile ?? 'cluster';
  const cost = buildCostModel(cluster, {
    catalog: options.catalog ?? loadCatalog(),
    profiles: options.profiles,
    source: clusterFile,
    contextTokensPerCall: meanContextTokensPerCall(workload),
  });
  throwIfProblems(checkWorkloadOnCluster(workload, cost, workloadFile));
  return {
    workload,
    cluster,
    cost,
    standaloneS: standaloneTimesS(workload, cost),
    workloadFile,
    clusterFile,
  };
}

/**
 * Mean KV tokens a call holds at the end of its decode (input + output), by model: what a
 * derived decode batch limit divides an instance's KV capacity by.
 */
export function meanContextTokensPerCall(workload: Workload): Map<string, number> {
  const sums = new Map<string, { tokens: number; calls: number }>();
  for (const wf of workload.workflows) {
    const s = sums.get(wf.model) ?? { tokens: 0, calls: 0 };
    for (const c of wf.calls) {
      s.tokens += c.input_tokens + c.output_tokens;
      s.calls++;
    }
    sums.set(wf.model, s);
  }
  return new Map([...sums].filter(([, s]) => s.calls > 0).map(([m, s]) => [m, s.tokens / s.calls]));
}

/** Loads and checks a workload file and a cluster file (the bundled defaults when omitted). */
export function loadScenario(
  workloadPath: string = DEFAULT_WORKLOAD,
  clusterPath: string = DEFAULT_CLUSTER,
): Scenario {
  // Messages and outputs name files as the user would; absolute bundled paths would make
  // outputs differ between clones.
  const workloadFile = displayPath(workloadPath);
  const clusterFile = displayPath(clusterPath);
  const workload = loadWorkload(workloadFile);
  const catalog = loadCatalog();
  const { cluster, profiles } = loadCluster(clusterFile, catalog);
  return makeScenario(workload, cluster, { catalog, workloadFile, clusterFile, profiles });
}
