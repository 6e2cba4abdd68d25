import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.ts';

const doc = readFileSync(new URL('../docs/library.md', import.meta.url), 'utf8');
const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');

describe('the library API', () => {
  it('documents every exported value in docs/library.md', () => {
    const missing = Object.keys(api).filter(
      (name) => !doc.includes(`\`${name}`) && !doc.includes(` ${name}(`),
    );
    expect(missing).toEqual([]);
  });

  it('documents every exported type too', () => {
    const types = [...source.matchAll(/type (\w+)/g)].map((m) => m[1]!);
    expect(types.length).toBeGreaterThan(10);
    expect(types.filter((t) => !doc.includes(t))).toEqual([]);
  });

  it('stays deliberate: internals are not exported', () => {
    for (const internal of ['Rng', 'PolicyView', 'Model', 'solveExact', 'readMps', 'estimateHighsBytes'])
      expect(Object.keys(api)).not.toContain(internal);
  });
});
