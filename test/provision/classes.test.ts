import { describe, expect, it } from 'vitest';
import { deriveClasses, scaleLoad, workloadSpanS } from '../../src/provision/classes.ts';
import { buildDemand, instanceTypes } from '../../src/provision/demand.ts';
import { loadProvisionSetup } from '../../src/provision/offers.ts';
import { loadWorkload } from '../../src/scenario/documents.ts';

const medium = loadWorkload(new URL('../../instances/workloads/medium.json', import.meta.url).pathname);

describe('call classes', () => {
  it('covers every call once, merges down to the cap, and rates add up to calls / span', () => {
    for (const cap of [50, 10, 3]) {
      const classes = deriveClasses(medium, { maxClasses: cap });
      expect(classes.length).toBeLessThanOrEqual(cap);
      const seen = new Set(classes.flatMap((c) => c.calls.map(([w, i]) => `${w}:${i}`)));
      const total = medium.workflows.reduce((s, w) => s + w.calls.length, 0);
      expect(seen.size).toBe(total);
      expect(classes.reduce((s, c) => s + c.calls.length, 0)).toBe(total);
      const rate = classes.reduce((s, c) => s + c.ratePerS, 0);
      expect(rate).toBeCloseTo(total / workloadSpanS(medium), 9);
      for (const c of classes) expect(c.inputTokens.min).toBeLessThanOrEqual(c.inputTokens.max);
    }
  });

  it('compresses arrivals with the rate multiplier', () => {
    const fast = scaleLoad(medium, 4);
    expect(fast.workflows[7]!.arrival_s).toBeCloseTo(medium.workflows[7]!.arrival_s / 4, 12);
    expect(workloadSpanS(fast)).toBeCloseTo(workloadSpanS(medium) / 4, 9);
  });
});

describe('service demand', () => {
  const setup = loadProvisionSetup();

  it('uses the bundled tp per (GPU, role): A100 decodes at tp 2, H100/H200 at tp 1', () => {
    const types = instanceTypes(setup, ['Qwen2.5-32B']);
    const tp = Object.fromEntries(types.map((t) => [`${t.gpu}/${t.role}`, t.tp]));
    expect(tp['A100-SXM4-80GB/prefill']).toBe(1);
    expect(tp['A100-SXM4-80GB/decode']).toBe(2);
    expect(tp['H100-SXM5-80GB/decode']).toBe(1);
    expect(tp['H200-SXM-141GB/mixed']).toBe(1);
  });

  it('raises tp where a model does not fit', () => {
    const types = instanceTypes(setup, ['Llama-3.1-70B']);
    for (const t of types) expect(t.kvCapacityTokens).toBeGreaterThan(0);
    expect(types.find((t) => t.gpu === 'H100-SXM5-80GB' && t.role === 'prefill')!.tp).toBeGreaterThan(1);
  });

  it('charges faster GPUs less prefill time and caps classes at 50', () => {
    const d = buildDemand(medium, setup);
    expect(d.classes.length).toBeLessThanOrEqual(50);
    const types = d.table.types;
    const a100 = types.findIndex((t) => t.gpu === 'A100-SXM4-80GB' && t.role === 'prefill');
    const h100 = types.findIndex((t) => t.gpu === 'H100-SXM5-80GB' && t.role === 'prefill');
    for (const c of d.demands) expect(c.prefillS[h100]!).toBeLessThan(c.prefillS[a100]!);
  });
});
