import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { problem } from '../../errors.ts';
import { displayPath } from '../../io/files.ts';
import { loadFile, throwIfProblems } from '../../io/loadDocument.ts';
import { allPolicies, ONLINE_POLICY_NAMES } from '../../policy/registry.ts';
import { Grid } from '../../schema/grid.ts';

/** Policies a sweep can run: the online ones (a plan-following policy needs a plan per run). */
export const SWEEP_POLICY_NAMES: readonly string[] = ONLINE_POLICY_NAMES;

/** A grid with its files resolved: `path` to open, `name` as written in the grid (used in keys). */
export interface LoadedGrid {
  file: string;
  grid: Grid;
  workloads: Array<{ name: string; path: string }>;
  clusters: Array<{ name: string; path: string }>;
}

/** Reads a grid file; shape errors, unknown policies, duplicates and missing files as FILE: path: message. */
export function loadGrid(file: string): LoadedGrid {
  const grid = loadFile(file, Grid);
  const problems: string[] = [];
  const base = dirname(file);
  const files = (field: 'workloads' | 'clusters') =>
    grid[field].map((name, i) => {
      const path = resolve(base, name);
      if (!existsSync(path) || statSync(path).isDirectory())
        problems.push(problem(file, [field, i], `no such file: ${displayPath(path)}`));
      return { name, path: displayPath(path) };
    });
  const workloads = files('workloads');
  const clusters = files('clusters');
  grid.policies.forEach((p, i) => {
    if (allPolicies().some((policy) => policy.name === p && policy.needsPlan))
      problems.push(problem(file, ['policies', i], `${p} needs a plan per run; not available in a sweep`));
    else if (!SWEEP_POLICY_NAMES.includes(p))
      problems.push(
        problem(file, ['policies', i], `unknown policy "${p}" (known: ${SWEEP_POLICY_NAMES.join(', ')})`),
      );
  });
  // Duplicates would give two runs the same key, and resuming could not tell them apart.
  for (const field of [
    'workloads',
    'clusters',
    'policies',
    'modes',
    'rate_multipliers',
    'quantiles',
  ] as const) {
    const seen = new Set<string>();
    (grid[field] as ReadonlyArray<string | number>).forEach((v, i) => {
      if (seen.has(String(v)))
        problems.push(problem(file, [field, i], `duplicate entry ${JSON.stringify(v)}`));
      seen.add(String(v));
    });
  }
  throwIfProblems(problems);
  return { file, grid, workloads, clusters };
}
