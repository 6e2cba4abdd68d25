/**
 * The scenario the realistic-bound benchmarks run on: a workload generated at a stated load for
 * a bundled cluster (`hexplan gen --family F --workflows N --seed S --load L -c CLUSTER` gives
 * the same workload).
 */
import { loadCatalog } from '../src/profile/catalog.ts';
import { buildCostModel } from '../src/profile/costModel.ts';
import { loadCluster } from '../src/scenario/documents.ts';
import { loadScenario, makeScenario, type Scenario } from '../src/scenario/scenario.ts';
import { type GenerateOptions, generateWorkload } from '../src/workload/generate/generate.ts';

export function generatedScenario(spec: {
  clusterFile: string;
  family: GenerateOptions['family'];
  workflows: number;
  seed: number;
  load: number;
}): Scenario {
  const { clusterFile } = spec;
  const catalog = loadCatalog();
  const { cluster, profiles } = loadCluster(clusterFile, catalog);
  const cost = buildCostModel(cluster, { catalog, profiles, source: clusterFile });
  const { workload } = generateWorkload({
    family: spec.family,
    workflows: spec.workflows,
    seed: spec.seed,
    load: spec.load,
    cost,
    clusterName: cluster.name,
  });
  return makeScenario(workload, cluster, { catalog, profiles, workloadFile: 'x', clusterFile });
}

/** `gen mixed -n 300 --seed 7 --load 0.9` on hetero-6: the loaded 300-workflow instance of docs/bounds.md. */
export const loaded300 = () =>
  generatedScenario({
    clusterFile: 'instances/clusters/hetero-6.json',
    family: 'mixed',
    workflows: 300,
    seed: 7,
    load: 0.9,
  });

/** `gen mixed -n N --seed 11 --load 0.9` on hetero-32; N = 230,000 is the ~1M-call instance. */
export const mixedHetero32 = (workflows: number) =>
  generatedScenario({
    clusterFile: 'instances/clusters/hetero-32.json',
    family: 'mixed',
    workflows,
    seed: 11,
    load: 0.9,
  });

/**
 * The scenario a probe bench runs on: WORKLOAD and CLUSTER files when both are set in the
 * environment (e.g. a provisioned cluster the bracket is loose on), else `loaded300`.
 */
export function probedScenario(): Scenario {
  const { WORKLOAD, CLUSTER } = process.env;
  if (WORKLOAD && CLUSTER) return loadScenario(WORKLOAD, CLUSTER);
  if (WORKLOAD || CLUSTER) throw new Error('set both WORKLOAD and CLUSTER, or neither');
  return loaded300();
}
