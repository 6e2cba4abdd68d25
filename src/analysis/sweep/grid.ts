import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { problem } from '../../errors.ts';
import { displayPath } from '../../io/files.ts';
import { loadFile, throwIfProblems } from '../../io/loadDocument.ts';
import { allPolicies, ONLINE_POLICY_NAMES } from '../../policy/registry.ts';
import { type GeneratedWorkloadSpec, Grid } from '../../schema/grid.ts';
import { HeadlineGrid } from '../../schema/headline.ts';
import type { SimMode } from '../../sim/types.ts';
import { FAMILY_CHOICES } from '../../workload/generate/families.ts';
import { canonicalJson } from './canonicalJson.ts';
import { checkHeadlineGrid, headlineAsGrid } from './headlineGrid.ts';

/**
 * The modes whose bounds `runGap` computes today. The grid loader refuses other modes before
 * anything runs, so a cell never reports exact-mode bounds under a realistic label.
 */
export const GAP_CELL_MODES: readonly SimMode[] = ['exact', 'realistic'];

/** Policies a sweep can run: the online ones (a plan-following policy needs a plan per run). */
export const SWEEP_POLICY_NAMES: readonly string[] = ONLINE_POLICY_NAMES;

/**
 * A workload of a grid: a file (`path` to open, `name` as written in the grid) or generated for
 * each cluster (`generate`, `path` null). `key` identifies it in cell keys: the name for a file,
 * the name and the generator's inputs for a generated one.
 */
export interface GridWorkload {
  name: string;
  key: string;
  path: string | null;
  generate: GeneratedWorkloadSpec | null;
}

/** A grid with its files resolved: `path` to open, `name` as written in the grid (used in keys). */
export interface LoadedGrid {
  file: string;
  grid: Grid;
  workloads: GridWorkload[];
  clusters: Array<{ name: string; path: string }>;
  /** The `provision` section's catalog, resolved; null for the bundled one. */
  catalogPath: string | null;
}

const GridFile = z.discriminatedUnion('schema', [Grid, HeadlineGrid]);

/**
 * Reads a grid file (`hexplan/grid@1`, or `hexplan/headline-grid@1` as the sweep it stands for);
 * shape errors, unknown policies and families, duplicates and missing files as FILE: path: message.
 */
export function loadGrid(file: string): LoadedGrid {
  const parsed = loadFile(file, GridFile);
  // A headline grid's own mistakes are named by its own fields, before it is read as a sweep.
  const headline = parsed.schema === 'hexplan/grid@1' ? null : parsed;
  const grid = headline ? headlineAsGrid(headline) : (parsed as Grid);
  const problems: string[] = headline ? checkHeadlineGrid(file, headline) : [];
  const base = dirname(file);
  const resolveFile = (name: string, path: Array<string | number>) => {
    const resolved = resolve(base, name);
    if (!existsSync(resolved) || statSync(resolved).isDirectory())
      problems.push(problem(file, path, `no such file: ${displayPath(resolved)}`));
    return displayPath(resolved);
  };
  const workloads: GridWorkload[] = grid.workloads.map((w, i) => {
    if (typeof w === 'string')
      return { name: w, key: w, path: resolveFile(w, ['workloads', i]), generate: null };
    if (!(FAMILY_CHOICES as readonly string[]).includes(w.generate.family))
      problems.push(
        problem(
          file,
          ['workloads', i, 'generate', 'family'],
          `unknown family "${w.generate.family}" (known: ${FAMILY_CHOICES.join(', ')})`,
        ),
      );
    return { name: w.name, key: `${w.name}${canonicalJson(w.generate)}`, path: null, generate: w.generate };
  });
  const clusters = grid.clusters.map((name, i) => ({ name, path: resolveFile(name, ['clusters', i]) }));
  if (headline) throwIfProblems(problems);
  if (grid.provision && workloads.some((w) => w.generate))
    problems.push(
      problem(
        file,
        ['provision'],
        'provision cells need workload files: a generated workload is made for a cluster',
      ),
    );
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
  const seenNames = new Set<string>();
  workloads.forEach((w, i) => {
    if (seenNames.has(w.name)) problems.push(problem(file, ['workloads', i], `duplicate entry "${w.name}"`));
    seenNames.add(w.name);
  });
  for (const field of ['clusters', 'policies', 'modes', 'rate_multipliers', 'quantiles'] as const) {
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
