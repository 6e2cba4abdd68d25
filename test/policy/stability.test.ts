import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ONLINE_POLICY_NAMES } from '../../src/policy/registry.ts';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { loadCluster } from '../../src/scenario/documents.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { FAMILY_CHOICES } from '../../src/workload/generate/families.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

const CLUSTERS = ['instances/clusters/hetero-4.json', 'instances/clusters/hetero-6.json'].map((file) => {
  const { cluster } = loadCluster(file);
  return { file, cluster, cost: buildCostModel(cluster) };
});

/**
 * Largest prefill wait (prefill start − ready) over mean call service (prefill + decode time)
 * of one run: a queue that grows without bound makes this grow with the run's length.
 */
function maxWaitOverService(trace: ReturnType<typeof simulate>['trace']): number {
  let maxWait = 0;
  let service = 0;
  const n = trace.readyS.length;
  for (let c = 0; c < n; c++) {
    maxWait = Math.max(maxWait, trace.prefillStartS[c]! - trace.readyS[c]!);
    service +=
      trace.prefillEndS[c]! - trace.prefillStartS[c]! + (trace.decodeEndS[c]! - trace.decodeStartS[c]!);
  }
  return maxWait / (service / n);
}

/** Bound on the ratio at load < 1 (Poisson bursts reach a few service times; growth, tens). */
const BOUND = 12;

describe('stability at load < 1', () => {
  it('no policy lets its prefill queues grow without bound (max wait within a multiple of mean service)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(...FAMILY_CHOICES),
        fc.integer({ min: 70, max: 95 }).map((x) => x / 100),
        fc.constantFrom(0, 1),
        (seed, family, load, k) => {
          const { file, cluster, cost } = CLUSTERS[k]!;
          const { workload } = generateWorkload({ family, workflows: 200, seed, load, cost });
          const sc = makeScenario(workload, cluster, { clusterFile: file });
          for (const policy of ONLINE_POLICY_NAMES) {
            for (const mode of ['exact', 'realistic'] as const) {
              const ratio = maxWaitOverService(simulate(sc, policy, { mode }).trace);
              if (process.env.H12) console.log(policy, mode, family, load.toFixed(2), k, ratio.toFixed(2));
              expect(ratio, `${policy} ${mode} ${family} load ${load} on ${file}`).toBeLessThan(BOUND);
            }
          }
        },
      ),
      { numRuns: 6, seed: 12 },
    );
  });
});
