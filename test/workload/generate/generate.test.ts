import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../../src/errors.ts';
import { loadCatalog } from '../../../src/profile/catalog.ts';
import { buildCostModel } from '../../../src/profile/costModel.ts';
import { rooflineProfile } from '../../../src/profile/roofline.ts';
import { loadCluster, validateFile } from '../../../src/scenario/documents.ts';
import { Cluster } from '../../../src/schema/cluster.ts';
import type { Workflow } from '../../../src/schema/workload.ts';
import { checkWorkload } from '../../../src/workload/checks.ts';
import { estimateCapacity, rateForLoad } from '../../../src/workload/generate/capacity.ts';
import { FAMILIES } from '../../../src/workload/generate/families.ts';
import { generateWorkload, workloadJsonText } from '../../../src/workload/generate/generate.ts';
import { standaloneS } from '../../../src/workload/standalone.ts';

const catalog = loadCatalog();
const hetero6 = loadCluster('instances/clusters/hetero-6.json', catalog);
const cost6 = buildCostModel(hetero6.cluster, { catalog });

describe('generateWorkload', () => {
  it('is deterministic: same seed, same text; another seed, another workload', () => {
    const a = workloadJsonText(generateWorkload({ family: 'mixed', workflows: 40, seed: 3 }).workload);
    const b = workloadJsonText(generateWorkload({ family: 'mixed', workflows: 40, seed: 3 }).workload);
    const c = workloadJsonText(generateWorkload({ family: 'mixed', workflows: 40, seed: 4 }).workload);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('draws workflow i from its own stream: a longer workload extends a shorter one', () => {
    const short = generateWorkload({ family: 'mixed', workflows: 10, seed: 8 }).workload.workflows;
    const long = generateWorkload({ family: 'mixed', workflows: 25, seed: 8 }).workload.workflows;
    expect(long.slice(0, 10).map((w) => w.calls)).toEqual(short.map((w) => w.calls));
    expect(long.slice(0, 10).map((w) => w.family)).toEqual(short.map((w) => w.family));
  });

  it.each(FAMILIES)('builds valid %s workflows with stages and the family set', (family) => {
    const { workload } = generateWorkload({ family, workflows: 30, seed: 11 });
    expect(checkWorkload('gen', workload)).toEqual([]);
    for (const wf of workload.workflows) {
      expect(wf.family).toBe(family);
      for (const c of wf.calls) {
        expect(c.stage).toBeTruthy();
        expect(c.input_tokens).toBeGreaterThan(0);
        expect(c.input_tokens).toBeLessThanOrEqual(12288);
        expect(c.output_tokens).toBeGreaterThanOrEqual(1);
        expect(c.output_tokens).toBeLessThanOrEqual(1000);
      }
    }
  });

  it('gives each family its shape', () => {
    const get = (family: (typeof FAMILIES)[number]) =>
      generateWorkload({ family, workflows: 40, seed: 2 }).workload.workflows;
    for (const wf of get('chat')) expect(wf.calls).toHaveLength(1);
    for (const wf of get('react')) {
      expect(wf.calls.length).toBeGreaterThanOrEqual(2);
      wf.calls.forEach((c, k) => {
        expect(c.deps).toEqual(k ? [wf.calls[k - 1]!.id] : []);
      });
      // The context grows along the chain.
      for (let k = 1; k < wf.calls.length; k++)
        expect(wf.calls[k]!.input_tokens).toBeGreaterThanOrEqual(
          Math.min(12288, wf.calls[k - 1]!.input_tokens),
        );
    }
    for (const wf of get('mapreduce')) {
      const maps = wf.calls.filter((c) => c.stage === 'map');
      expect(maps.length).toBeGreaterThanOrEqual(2);
      expect(wf.calls.at(-1)!.deps).toEqual(maps.map((c) => c.id));
    }
    const pe = get('plan-execute');
    expect(pe.every((wf) => wf.calls.some((c) => c.id === 'verify'))).toBe(true);
    const retries = pe.filter((wf) => wf.calls.some((c) => c.stage === 'retry')).length;
    expect(retries).toBeGreaterThan(0); // about 30% of 40
    expect(retries).toBeLessThan(40);
    for (const wf of get('tree')) expect(wf.calls.at(-1)!.id).toBe('select');
    const mixed = generateWorkload({ family: 'mixed', workflows: 300, seed: 1 }).workload.workflows;
    expect(new Set(mixed.map((w) => w.family))).toEqual(new Set(FAMILIES));
  });

  it('draws Poisson arrivals at the requested rate', () => {
    const { workload } = generateWorkload({ family: 'chat', workflows: 2000, seed: 5, ratePerS: 4 });
    const arr = workload.workflows.map((w) => w.arrival_s);
    for (let i = 1; i < arr.length; i++) expect(arr[i]!).toBeGreaterThanOrEqual(arr[i - 1]!);
    expect(arr.at(-1)! / arr.length).toBeCloseTo(0.25, 1);
  });

  it('sets the rate from a target load, records meta, and sets deadlines relative to arrival', () => {
    const g = generateWorkload({
      family: 'mixed',
      workflows: 30,
      seed: 9,
      load: 0.75,
      cost: cost6,
      deadlineFactor: 2,
    });
    expect(g.ratePerS * g.capacity!.utilizationPerRate).toBeCloseTo(0.75, 12);
    const meta = g.workload.meta!;
    expect(meta.load).toBe(0.75);
    expect(meta.cluster).toBe('hetero-6');
    expect(meta.seed).toBe(9);
    expect(JSON.stringify(meta.token_lengths)).toContain('AzurePublicDataset');
    for (const wf of g.workload.workflows) expect(wf.deadline_s).toBeCloseTo(2 * standaloneS(wf, cost6), 3);
  });

  it('rejects inconsistent options with a user error', () => {
    expect(() => generateWorkload({ family: 'chat', workflows: 3, seed: 1, load: 0.5 })).toThrow(
      HexplanError,
    );
    expect(() => generateWorkload({ family: 'chat', workflows: 0, seed: 1 })).toThrow(
      /^workflows must be a positive integer/,
    );
    expect(() => generateWorkload({ family: 'chat', workflows: 3, seed: 1, model: 'GPT-5' })).toThrow(
      /unknown model/,
    );
    expect(() =>
      generateWorkload({ family: 'chat', workflows: 3, seed: 1, ratePerS: 1, load: 1, cost: cost6 }),
    ).toThrow(/not both/);
  });
});

describe('estimateCapacity (hand-computed case)', () => {
  it('takes the bottleneck of prefill and decode (slots and KV)', () => {
    // One mixed instance: prefill a flat 100 ms (10 calls/s); decode step a flat 10 ms, so a
    // 100-token decode takes 1 s; 16 slots → 16 calls/s; KV ≫ 16 × 1100 tokens → slots bind.
    const profile = {
      ...rooflineProfile(catalog.gpus.get('H200-SXM-141GB')!, catalog.llms.get('Qwen2.5-32B')!, 1),
      prefill: { p0_ms: 100, p1_ms_per_token: 0, p2_ms_per_token2: 0 },
      decode: { d0_ms: 10, d1_ms_per_seq: 0, d2_ms_per_token: 0 },
    };
    const cluster = Cluster.parse({
      schema: 'hexplan/cluster@1',
      instances: [{ id: 'm0', gpu: 'H200-SXM-141GB', model: 'Qwen2.5-32B', role: 'mixed', node: 'n0' }],
    });
    const cost = buildCostModel(cluster, { catalog, profiles: [profile] });
    const call = (id: string) => ({ id, input_tokens: 1000, output_tokens: 100, deps: [], tool_s: 0 });
    const wfs: Workflow[] = ['a', 'b'].map((id) => ({
      id,
      arrival_s: 0,
      model: 'Qwen2.5-32B',
      calls: [call('x'), call('y')],
    }));
    const cap = estimateCapacity(wfs, cost);
    expect(cap.prefillCallsPerS).toBeCloseTo(10, 9);
    expect(cap.decodeCallsPerS).toBeCloseTo(16, 9);
    expect(cap.bottleneck).toBe('prefill');
    expect(cap.utilizationPerRate).toBeCloseTo(0.2, 9); // 2 calls per workflow / 10 calls/s
    expect(rateForLoad(cap, 0.5)).toBeCloseTo(2.5, 9);
  });
});

describe('hexplan gen (CLI)', () => {
  it('writes byte-identical files for the same seed (mixed, 1000 workflows, seed 7)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-gen-'));
    const run = (out: string) =>
      spawnSync(
        process.execPath,
        ['bin/hexplan.js', 'gen', '--family', 'mixed', '--workflows', '1000', '--seed', '7', '-o', out],
        {
          encoding: 'utf8',
        },
      );
    const r1 = run(join(dir, 'a.json'));
    const r2 = run(join(dir, 'b.json'));
    expect(r1.status).toBe(0);
    expect(r2.status).toBe(0);
    const a = readFileSync(join(dir, 'a.json'));
    expect(a.equals(readFileSync(join(dir, 'b.json')))).toBe(true);
    expect(validateFile(join(dir, 'a.json')).ok).toBe(true);
  });
});
