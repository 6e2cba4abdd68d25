import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { buildCostModel } from '../../src/profile/costModel.ts';
import { loadCluster, loadWorkload, validateFile } from '../../src/scenario/documents.ts';
import type { FamilyChoice } from '../../src/workload/generate/families.ts';
import { generateWorkload, workloadJsonText } from '../../src/workload/generate/generate.ts';

const W = 'instances/workloads';
const C = 'instances/clusters';

describe('bundled instances', () => {
  it('all validate', () => {
    const files = [...readdirSync(W).map((f) => join(W, f)), ...readdirSync(C).map((f) => join(C, f))];
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) expect(validateFile(f).problems).toEqual([]);
  });

  it('have the documented sizes and offered loads', () => {
    const size = (name: string) => {
      const w = loadWorkload(join(W, `${name}.json`));
      return {
        workflows: w.workflows.length,
        calls: w.workflows.reduce((s, wf) => s + wf.calls.length, 0),
        meta: w.meta!,
      };
    };
    const tiny = size('tiny');
    expect(tiny.calls).toBeLessThanOrEqual(8);
    const small = size('small');
    expect(small.workflows).toBeLessThanOrEqual(10);
    expect(small.calls).toBeGreaterThanOrEqual(20);
    expect(small.calls).toBeLessThanOrEqual(30);
    expect(small.meta.cluster).toBe('hetero-6');
    const medium = size('medium');
    expect(medium.workflows).toBeGreaterThanOrEqual(40);
    expect(medium.workflows).toBeLessThanOrEqual(60);
    expect(Math.abs(medium.calls - 250)).toBeLessThanOrEqual(20);
    for (const s of [tiny, small, medium]) {
      expect(s.meta.load).toBeGreaterThanOrEqual(0.6);
      expect(s.meta.load).toBeLessThanOrEqual(0.85);
    }
  });

  it('large has at least 50,000 calls on hetero-32 (header only, the file is big)', () => {
    const text = readFileSync(join(W, 'large.json'), 'utf8');
    const meta = JSON.parse(text).meta;
    expect(meta.calls).toBeGreaterThanOrEqual(50_000);
    expect(meta.cluster).toBe('hetero-32');
    expect(meta.load).toBeGreaterThanOrEqual(0.6);
    expect(meta.load).toBeLessThanOrEqual(0.85);
  });

  it.each(['tiny', 'small', 'medium'])(
    '%s is reproduced byte for byte by the generator from its meta',
    (name) => {
      const file = join(W, `${name}.json`);
      const text = readFileSync(file, 'utf8');
      const meta = JSON.parse(text).meta;
      const catalog = loadCatalog();
      const { cluster } = loadCluster(join(C, `${meta.cluster}.json`), catalog);
      const g = generateWorkload({
        family: meta.family as FamilyChoice,
        workflows: meta.workflows,
        seed: meta.seed,
        model: meta.model,
        load: meta.load,
        cost: buildCostModel(cluster, { catalog }),
        clusterName: meta.cluster,
        deadlineFactor: meta.deadline_factor,
        maxFanout: meta.max_fanout,
        maxDepth: meta.max_depth,
        name,
      });
      expect(workloadJsonText(g.workload)).toBe(text);
    },
  );
});
