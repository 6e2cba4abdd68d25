import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule of docs/architecture.md, checked from the imports themselves: a module may
 * import only from its own folder or from a folder below it, and the module graph has no cycle.
 */
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Bottom to top. A file's layer is that of its first folder under src/ (or its own name). */
const LAYERS: readonly string[][] = [
  ['errors.ts', 'io', 'util'],
  ['schema'],
  ['slo'],
  ['profile'],
  ['workload'],
  ['scenario'],
  ['policy'],
  ['sim'],
  ['solver'],
  ['objective'],
  ['bounds'],
  ['check'],
  ['placement'],
  ['provision'],
  ['analysis'],
  ['report'],
  ['cli'],
  ['index.ts'],
];

/** Imports allowed to run up a layer, each with its reason (also in docs/architecture.md). */
const ALLOWED_UPWARD: ReadonlyMap<string, string> = new Map([]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]!;
  const index = LAYERS.findIndex((layer) => layer.includes(top));
  if (index < 0) throw new Error(`src/${top} belongs to no layer: add it to LAYERS and docs/architecture.md`);
  return index;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) => resolve(dirname(file), spec));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => `src/${relative(SRC, f)}`;

describe('architecture', () => {
  it('every folder under src/ has a layer', () => {
    for (const f of files) expect(() => layerOf(f)).not.toThrow();
  });

  it('no import runs up a layer, except the listed ones', () => {
    const upward: string[] = [];
    for (const [from, targets] of graph)
      for (const to of targets)
        if (layerOf(to) > layerOf(from)) {
          const edge = `${rel(from)} -> ${rel(to)}`;
          if (!ALLOWED_UPWARD.has(edge)) upward.push(edge);
        }
    expect(upward).toEqual([]);
    expect(ALLOWED_UPWARD.size).toBeLessThanOrEqual(2);
  });

  it('the module graph has no cycle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const to of graph.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([from, targets]) =>
      targets.filter((to) => !graph.has(to)).map((to) => `${rel(from)} -> ${rel(to)}`),
    );
    expect(missing).toEqual([]);
  });
});
