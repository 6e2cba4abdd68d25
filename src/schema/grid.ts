import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { problem } from '../errors.ts';
import { displayPath } from '../io/files.ts';
import { POLICY_NAMES } from '../policy/registry.ts';
import { SIM_MODES } from '../sim/types.ts';
import { loadFile, throwIfProblems } from './load.ts';

export const GRID_SCHEMA = 'hexplan/grid@1';

/** Policies a sweep can run: every registered one except `replay`, which needs a plan per run. */
export const SWEEP_POLICY_NAMES: readonly string[] = POLICY_NAMES.filter((p) => p !== 'replay');

/** A sweep: every combination workload × cluster × policy × mode × rate multiplier is one run. */
export const Grid = z.strictObject({
  schema: z.literal(GRID_SCHEMA),
  name: z.string().optional(),
  /** Workload files, relative to the grid file. */
  workloads: z.array(z.string().min(1)).min(1),
  /** Cluster files, relative to the grid file. */
  clusters: z.array(z.string().min(1)).min(1),
  policies: z.array(z.string().min(1)).min(1),
  modes: z
    .array(z.enum(SIM_MODES as ['exact', 'realistic']))
    .min(1)
    .default(['exact']),
  /** Load multipliers: arrivals compressed as arrival_s / m. */
  rate_multipliers: z.array(z.number().positive()).min(1).default([1]),
  /** Quantiles q whose required scale each result line reports. */
  quantiles: z.array(z.number().gt(0).max(1)).min(1).default([0.95, 0.99]),
});
export type Grid = z.infer<typeof Grid>;

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
    if (p === 'replay')
      problems.push(problem(file, ['policies', i], 'replay needs a plan per run; not available in a sweep'));
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
