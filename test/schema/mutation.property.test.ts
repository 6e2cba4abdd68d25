import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/scenario/documents.ts';
import { type Json, set, slots, structuralMutation } from '../fuzz/mutate.ts';

const BASES = ['workload', 'cluster', 'profiles'].map((k) =>
  readFileSync(`test/fixtures/valid/${k}.json`, 'utf8'),
);
const dir = mkdtempSync(join(tmpdir(), 'hexplan-mutate-'));

const mutation = fc.record({
  base: fc.integer({ min: 0, max: BASES.length - 1 }),
  kind: fc.constantFrom('delete', 'retype', 'truncate', 'swap', 'cycle', 'unknown-key', 'duplicate'),
  a: fc.nat(),
  b: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});

type Mutation = { base: number; kind: string; a: number; b: number; value: Json };

function mutate(m: Mutation): string {
  const text = BASES[m.base]!;
  if (m.kind === 'truncate') return text.slice(0, m.a % text.length);
  const doc = JSON.parse(text) as Json;
  const all = slots(doc);
  const [c1, k1] = all[m.a % all.length]!;
  if (structuralMutation(m, all)) return JSON.stringify(doc, null, m.b % 3);
  switch (m.kind) {
    case 'cycle': {
      // Make the first call of every workflow depend on its last (a cycle when deps exist).
      const wfs = (doc as { workflows?: Json }).workflows;
      if (Array.isArray(wfs))
        for (const wf of wfs as Array<{ calls: Array<{ id: string; deps?: string[] }> }>) {
          const last = wf.calls.at(-1);
          if (last) wf.calls[0]!.deps = [...(wf.calls[0]!.deps ?? []), last.id];
        }
      else set(c1, k1, m.value);
      break;
    }
  }
  return JSON.stringify(doc, null, m.b % 3);
}

describe('validateFile under random mutations of valid files', () => {
  it('never throws: always ok, or problems formatted FILE: path: message', () => {
    let n = 0;
    fc.assert(
      fc.property(mutation, (m) => {
        const file = join(dir, `m${n++}.json`);
        writeFileSync(file, mutate(m));
        const r = validateFile(file);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(p.startsWith(`${file}: `)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('finds problems in most mutations (the property is not vacuous)', () => {
    let bad = 0;
    const samples = fc.sample(mutation, { numRuns: 100, seed: 7 });
    samples.forEach((m, i) => {
      const file = join(dir, `s${i}.json`);
      writeFileSync(file, mutate(m));
      if (!validateFile(file).ok) bad++;
    });
    expect(bad).toBeGreaterThan(40);
    // The CLI answers 0 or 1 (never a crash) for a couple of mutated files.
    const r = spawnSync(
      process.execPath,
      ['bin/hexplan.js', 'validate', join(dir, 's0.json'), join(dir, 's1.json')],
      {
        encoding: 'utf8',
      },
    );
    expect([0, 1]).toContain(r.status);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
  });
});
