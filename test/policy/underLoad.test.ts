import { describe, expect, it } from 'vitest';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { loadCluster } from '../../src/scenario/documents.ts';
import { loadScenario, makeScenario, type Scenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

/** The speed-aware baselines issue #12 holds hexagent to (fcfs, round-robin, is the strawman). */
const FAIR = ['fcfs-speed', 'least-loaded', 'hetero-oblivious', 'edf', 'plas', 'atlas'];

const CLUSTER = 'instances/clusters/hetero-6.json';

/** The reproduction, at half the size: mixed, load 1.0 on hetero-6, seed 21. */
function generatedLoaded(): Scenario {
  const { cluster } = loadCluster(CLUSTER);
  const cost = buildCostModel(cluster);
  const { workload } = generateWorkload({ family: 'mixed', workflows: 400, seed: 21, load: 1.0, cost });
  return makeScenario(workload, cluster, { workloadFile: 'mixed-400-load1', clusterFile: CLUSTER });
}

describe('hexagent under load (regression: prefill piled onto one instance)', () => {
  const scenarios: Array<[string, () => Scenario]> = [
    ['medium-loaded.json', () => loadScenario('instances/workloads/medium-loaded.json', CLUSTER)],
    ['mixed 400 workflows, load 1.0', generatedLoaded],
  ];
  for (const [name, make] of scenarios) {
    for (const mode of ['exact', 'realistic'] as const) {
      it(`${name}, ${mode}: p95 within 5% of the best speed-aware baseline`, () => {
        const sc = make();
        const hex = simulate(sc, 'hexagent', { mode }).metrics.p95;
        const best = Math.min(...FAIR.map((p) => simulate(sc, p, { mode }).metrics.p95));
        expect(hex).toBeLessThanOrEqual(1.05 * best);
      });
    }
  }
});
