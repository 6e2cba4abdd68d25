import { describe, expect, it } from 'vitest';
import { ClusterState } from '../../src/policy/clusterState.ts';
import { HorizonEstimator } from '../../src/policy/horizon.ts';
import { PolicyView } from '../../src/policy/view.ts';
import { loadCluster } from '../../src/scenario/documents.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { Workload } from '../../src/schema/workload.ts';
import { compileWorkload } from '../../src/workload/compiled.ts';

const workload = Workload.parse({
  schema: 'hexplan/workload@1',
  workflows: ['w0', 'w1'].map((id, i) => ({
    id,
    arrival_s: i * 10,
    model: 'Qwen2.5-32B',
    family: 'chain',
    calls: [
      { id: 'a', input_tokens: 1000, output_tokens: 100 },
      { id: 'b', input_tokens: 1000, output_tokens: 100, deps: ['a'], tool_s: 1 },
      { id: 'c', input_tokens: 1000, output_tokens: 100, deps: ['b'] },
    ],
  })),
});

describe('HorizonEstimator', () => {
  const sc = makeScenario(workload, loadCluster('instances/clusters/hetero-6.json').cluster);
  const wl = compileWorkload(sc.workload);
  const stage = new Uint8Array(wl.calls);
  const zeros = new Float64Array(wl.calls);
  const view = new PolicyView(
    sc.cost,
    wl,
    new ClusterState(sc.cost.instances.length),
    {
      stage,
      readyS: zeros,
      decodeEndS: zeros,
      serviceS: zeros,
    },
    { assign() {}, rekey() {} },
  );
  const h = new HorizonEstimator(view, 2, 1);
  // Each call here costs the same standalone e (no tool) or e + 1 (b, tool 1 s).
  const e = sc.cost.standaloneCallS('Qwen2.5-32B', 1000, 100);

  it('before any workflow of the family finished: known path + prior_levels × mean level cost', () => {
    stage[0] = 1;
    // The estimator's per-call cost takes prefill and decode minima separately (no transfer).
    const eSep = h.reveal(0);
    expect(eSep).toBeLessThanOrEqual(e + 1e-12);
    expect(eSep).toBeGreaterThan(e - 0.05);
    expect(h.estimateS(0)).toBeCloseTo(eSep + eSep, 12); // 1 known level + 1 assumed
    expect(h.horizonS(0)).toBeCloseTo(0 + 2 * 2 * eSep, 12);
    stage[1] = 1;
    h.reveal(1);
    expect(h.estimateS(0)).toBeCloseTo(((2 * eSep + 1) * 3) / 2, 12); // 2 levels known, 3 expected
  });

  it('after a workflow finished: its depth becomes the family expectation', () => {
    stage[2] = 1;
    h.reveal(2);
    h.workflowDone(0); // final depth 3
    stage[3] = 1;
    const eSep = h.reveal(3);
    // w1 knows one level of 3 expected: ŝ = e + 2 · e.
    expect(h.estimateS(1)).toBeCloseTo(3 * eSep, 12);
    // latest start of w1/a: H − (ŝ − L(a)) − e = 10 + 2·3e − 2e − e
    expect(h.latestStartS(3)).toBeCloseTo(10 + 6 * eSep - 2 * eSep - eSep, 12);
  });
});
