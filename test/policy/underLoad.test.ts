import { describe, expect, it } from 'vitest';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { loadCluster } from '../../src/scenario/documents.ts';
import { loadScenario, makeScenario, type Scenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

/** The speed-aware baselines issue #12 holds hexagent to (fcfs, round-robin, is the strawman). */
const FAIR = ['fcfs-speed', 'least-loaded', 'hetero-oblivious', 'edf', 'plas', 'atlas'];

const CLUSTER = 'instances/clusters/hetero-6.json';

function generated(
  family: 'mixed' | 'chat',
  workflows: number,
  seed: number,
  load: number,
  clusterFile: string,
) {
  return (): Scenario => {
    const { cluster } = loadCluster(clusterFile);
    const cost = buildCostModel(cluster);
    const { workload } = generateWorkload({ family, workflows, seed, load, cost });
    return makeScenario(workload, cluster, {
      workloadFile: `${family}-${workflows}-load${load}`,
      clusterFile,
    });
  };
}

function expectWithinFivePercent(sc: Scenario, mode: 'exact' | 'realistic') {
  const hex = simulate(sc, 'hexagent', { mode }).metrics.p95;
  const best = Math.min(...FAIR.map((p) => simulate(sc, p, { mode }).metrics.p95));
  expect(hex).toBeLessThanOrEqual(1.05 * best);
}

describe('hexagent under load (regression: prefill piled onto one instance)', () => {
  const scenarios: Array<[string, () => Scenario]> = [
    ['medium-loaded.json', () => loadScenario('instances/workloads/medium-loaded.json', CLUSTER)],
    // The reproduction, at half the size: mixed, load 1.0 on hetero-6, seed 21.
    ['mixed 400 workflows, load 1.0', generated('mixed', 400, 21, 1.0, CLUSTER)],
  ];
  for (const [name, make] of scenarios) {
    for (const mode of ['exact', 'realistic'] as const) {
      it(`${name}, ${mode}: p95 within 5% of the best speed-aware baseline`, () => {
        expectWithinFivePercent(make(), mode);
      });
    }
  }
});

describe('hexagent under load, batched prefill (regression: long prompts sent to the fast prefill lane)', () => {
  // The headline grid's chat × hetero-4 cells in realistic mode (200 single-call workflows):
  // before the delay cost counted the batch-mates a call joins, hexagent was 1.075× and 1.128×
  // the best baseline at loads 0.9 and 1.0 (seed 1), 1.121× and 1.080× on seed 2.
  for (const seed of [1, 2]) {
    for (const load of [0.9, 1.0]) {
      it(`chat, hetero-4, seed ${seed}, load ${load}, realistic: p95 within 5% of the best speed-aware baseline`, () => {
        expectWithinFivePercent(
          generated('chat', 200, seed, load, 'instances/clusters/hetero-4.json')(),
          'realistic',
        );
      });
    }
  }
});
