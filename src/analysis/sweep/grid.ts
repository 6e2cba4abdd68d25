import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { problem } from '../../errors.ts';
import { displayPath } from '../../io/files.ts';
import { loadFile, throwIfProblems } from '../../io/loadDocument.ts';
import { allPolicies, ONLINE_POLICY_NAMES } from '../../policy/registry.ts';
import { Grid } from '../../schema/grid.ts';
import type { SimMode } from '../../sim/types.ts';

/**
 * The modes whose bounds `runGap` computes today. The grid loader refuses other modes before
 * anything runs, so a cell never reports exact-mode bounds under a realistic label.
 */
export const GAP_CELL_MODES: readonly SimMode[] = ['exact', 'realistic'];

/** Policies a sweep can run: the online ones (a plan-following policy needs a plan per run). */
export const SWEEP_POLICY_NAMES: readonly string[] = ONLINE_POLICY_NAMES;

/** A grid with its files resolved: `path` to open, `name` as written in the grid (used in keys). */
export interface LoadedGrid {
  file: string;
  grid: Grid;
  workloads: Array<{ name: string; path: string }>;
  clusters: Array<{ name: string; path: string }>;
  /** The `provision` section's catalog, resolved; null for the bundled one. */
  catalogPath: string | null;
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
  const checkPolicy = (p: string, path: Array<string | number>) => {
    if (allPolicies().some((policy) => policy.name === p && policy.needsPlan))
      problems.push(problem(file, path, `${p} needs a plan per run; not available in a sweep`));
    else if (!SWEEP_POLICY_NAMES.includes(p))
      problems.push(problem(file, path, `unknown policy "${p}" (known: ${SWEEP_POLICY_NAMES.join(', ')})`));
  };
  grid.policies.forEach((p, i) => {
    checkPolicy(p, ['policies', i]);
  });
  grid.gap?.policies?.forEach((p, i) => {
    checkPolicy(p, ['gap', 'policies', i]);
  });
  for (const p of Object.keys(grid.policy_options))
    if (!grid.policies.includes(p))
      problems.push(problem(file, ['policy_options', p], `"${p}" is not in policies`));
  if (grid.policies.length === 0 && !grid.gap && !grid.provision)
    problems.push(problem(file, ['policies'], 'no cells: list policies, or add a gap or provision section'));
  if (grid.gap && !GAP_CELL_MODES.includes(grid.gap.mode))
    problems.push(
      problem(
        file,
        ['gap', 'mode'],
        `gap cells report ${GAP_CELL_MODES.join(', ')}-mode bounds only, not ${grid.gap.mode}`,
      ),
    );
  let catalogPath: string | null = null;
  if (grid.provision?.catalog !== undefined) {
    const path = resolve(base, grid.provision.catalog);
    if (!existsSync(path) || statSync(path).isDirectory())
      problems.push(problem(file, ['provision', 'catalog'], `no such file: ${displayPath(path)}`));
    catalogPath = displayPath(path);
  }
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
  return { file, grid, workloads, clusters, catalogPath };
}
