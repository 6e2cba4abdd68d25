import { describe, expect, it } from 'vitest';
import { compare, defaultComparePolicies } from '../../src/analysis/compare.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { attainment, attainmentCurve, mean, median } from '../../src/slo/attainment.ts';

describe('attainment and summary statistics', () => {
  const scales = [1.0, 1.2, 1.5, 2.5, 4.0];
  it('counts workflows at or under k', () => {
    expect(attainment(scales, 1.5)).toBe(3 / 5);
    expect(attainment(scales, 1.49)).toBe(2 / 5);
    expect(attainment(scales, 10)).toBe(1);
  });
  it('curves over a given grid and over the default one', () => {
    expect(attainmentCurve(scales, [2, 1, 4])).toEqual([
      [1, 0.2],
      [2, 0.6],
      [4, 1],
    ]);
    const curve = attainmentCurve(scales);
    expect(curve[0]).toEqual([1, 0.2]);
    expect(curve.some(([k]) => k === 2.5)).toBe(true); // the scale for 80 % … 100 % is a grid point
    for (let i = 1; i < curve.length; i++) expect(curve[i]![1]).toBeGreaterThanOrEqual(curve[i - 1]![1]);
  });
  it('mean and median', () => {
    expect(mean(scales)).toBeCloseTo(2.04, 12);
    expect(median(scales)).toBe(1.5);
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });
});

describe('compare', () => {
  const sc = loadScenario('instances/workloads/small.json', 'instances/clusters/hetero-6.json');

  it('runs every online policy by default and replay only with a plan', () => {
    expect(defaultComparePolicies(false)).not.toContain('replay');
    expect(defaultComparePolicies(true)).toContain('replay');
  });

  it('reports each policy as its own simulation does, and hexagent’s relative reductions', () => {
    const c = compare(sc, ['hexagent', 'fcfs', 'edf']);
    expect(c.policies.map((p) => p.name)).toEqual(['hexagent', 'fcfs', 'edf']);
    const fcfs = simulate(sc, 'fcfs').metrics;
    expect(c.policies[1]).toMatchObject({ p50: fcfs.p50, p95: fcfs.p95, p99: fcfs.p99, mean: fcfs.mean });
    expect(c.policies[1]!.workflows).toBe(fcfs.workflows);
    const hex = c.policies[0]!;
    const red = c.hexagent_reduction!;
    expect(red.versus.map((v) => v.baseline)).toEqual(['fcfs', 'edf']);
    expect(red.versus[0]!.p95).toBeCloseTo((fcfs.p95 - hex.p95) / fcfs.p95, 12);
    // fcfs is a strawman: the average counts edf alone unless strawmen are asked for.
    expect(red.set_aside).toEqual(['fcfs']);
    expect(red.average_p99).toBeCloseTo(red.versus[1]!.p99, 12);
    const all = compare(sc, ['hexagent', 'fcfs', 'edf'], { includeStrawmen: true }).hexagent_reduction!;
    expect(all.set_aside).toEqual([]);
    expect(all.average_p99).toBeCloseTo((red.versus[0]!.p99 + red.versus[1]!.p99) / 2, 12);
  });

  it('has no reduction block without hexagent', () => {
    expect(compare(sc, ['fcfs']).hexagent_reduction).toBeNull();
  });

  it('metrics: per-instance utilization fractions are within [0, 1]', () => {
    const m = simulate(sc, 'hexagent').metrics;
    expect(m.instances).toHaveLength(6);
    for (const i of m.instances) {
      for (const v of [
        i.prefill_utilization,
        i.decode_slot_utilization,
        i.decode_busy_fraction,
        i.kv_occupancy_mean,
        i.kv_occupancy_peak,
      ]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
      }
    }
    expect(m.instances.some((i) => i.prefill_utilization > 0)).toBe(true);
    expect(m.goodput_workflows_per_s).toBeCloseTo(
      (m.attainment_at_goodput_scale * m.workflows) / m.makespan_s,
      12,
    );
  });
});
