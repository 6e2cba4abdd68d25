import { describe, expect, it } from 'vitest';
import { hexagent } from '../../src/policy/hexagent.ts';
import type { Policy } from '../../src/policy/policy.ts';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { loadCluster } from '../../src/scenario/documents.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

const CLUSTER = 'instances/clusters/hetero-4.json';

/** hexagent, with every re-key it asks for recorded (and, if `drop`, not passed on). */
function spied(log: Array<[number, number, number]>, drop: boolean): Policy {
  return {
    ...hexagent,
    create(view, context) {
      const rekey = view.rekey.bind(view);
      view.rekey = (c, priority, decodePriority) => {
        log.push([c, priority, decodePriority ?? priority]);
        if (!drop) rekey(c, priority, decodePriority);
      };
      return hexagent.create(view, context);
    },
  };
}

describe('hexagent re-keys waiting calls when a reveal moves ŝ_w', () => {
  // Trees reveal branches while siblings still wait, so estimates move under queued calls.
  // Load 1.2: at 1.0, with realistic mode's half-weighted own prefill, no re-key moved a start here.
  const { cluster } = loadCluster(CLUSTER);
  const { workload } = generateWorkload({
    family: 'tree',
    workflows: 120,
    seed: 3,
    load: 1.2,
    cost: buildCostModel(cluster),
  });
  const scenario = makeScenario(workload, cluster, { workloadFile: 'tree-120', clusterFile: CLUSTER });

  for (const mode of ['exact', 'realistic'] as const) {
    it(`re-keys, and the re-keys change the schedule (${mode})`, () => {
      const log: Array<[number, number, number]> = [];
      const kept = simulate(scenario, spied(log, false), { mode });
      expect(log.length).toBeGreaterThan(0);
      const dropped = simulate(scenario, spied([], true), { mode });
      let moved = 0;
      for (let c = 0; c < kept.trace.prefillStartS.length; c++) {
        if (kept.trace.prefillStartS[c] !== dropped.trace.prefillStartS[c]) moved++;
      }
      expect(moved).toBeGreaterThan(0);
      // The plain policy is the re-keying one.
      expect(simulate(scenario, 'hexagent', { mode }).scales).toEqual(kept.scales);
    });
  }
});
