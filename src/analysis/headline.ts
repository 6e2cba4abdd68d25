import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { problem } from '../errors.ts';
import { displayPath } from '../io/files.ts';
import { loadFile, throwIfProblems } from '../io/loadDocument.ts';
import { strawmanByPolicy } from '../policy/registry.ts';
import { loadCatalog } from '../profile/catalog.ts';
import { buildCostModel } from '../profile/costModel.ts';
import { loadCluster } from '../scenario/documents.ts';
import { makeScenario } from '../scenario/scenario.ts';
import { HeadlineGrid } from '../schema/headline.ts';
import type { SimMode } from '../schema/simMode.ts';
import { simulate } from '../sim/simulate.ts';
import { FAMILY_CHOICES, type FamilyChoice } from '../workload/generate/families.ts';
import { generateWorkload } from '../workload/generate/generate.ts';

/** What the HexAGenT paper's abstract reports (arXiv 2605.16637): mean and max reduction. */
export const PAPER_REDUCTION = { p95: { mean: 0.201, max: 0.45 }, p99: { mean: 0.33, max: 0.805 } } as const;

/** Cells where hexagent must stay within this factor of the best fair baseline (issue #12). */
export const WITHIN_FACTOR = 1.05;

export interface HeadlineCell {
  family: string;
  cluster: string;
  load: number;
  mode: SimMode;
  workflows: number;
  calls: number;
  /** Required scale at q = 0.95 and 0.99, per policy (hexagent first, then the baselines). */
  p95: Record<string, number>;
  p99: Record<string, number>;
}

/** HexAGenT's reduction (k_base − k_hex) / k_base over the cells, for one baseline or all fair ones. */
export interface ReductionRow {
  versus: string;
  p95: { mean: number; max: number; min: number };
  p99: { mean: number; max: number; min: number };
}

export interface Headline {
  grid: string;
  cells: HeadlineCell[];
  /** One row per baseline, then "all (fair)": every fair baseline of every cell. */
  rows: ReductionRow[];
  /** Baselines left out of "all": strawmen (e.g. round-robin fcfs). */
  setAside: string[];
  /** Cells with load ≤ 1 where hexagent's p95 exceeds WITHIN_FACTOR × the best fair baseline's. */
  losses: Array<{
    family: string;
    cluster: string;
    load: number;
    mode: SimMode;
    best: string;
    ratio: number;
  }>;
  paper: typeof PAPER_REDUCTION;
}

interface LoadedHeadlineGrid {
  file: string;
  grid: HeadlineGrid;
  clusters: Array<{ name: string; path: string }>;
}

/** Reads a headline grid; unknown families, policies and missing files as FILE: path: message. */
export function loadHeadlineGrid(file: string): LoadedHeadlineGrid {
  const grid = loadFile(file, HeadlineGrid);
  const problems: string[] = [];
  grid.families.forEach((f, i) => {
    if (!(FAMILY_CHOICES as readonly string[]).includes(f))
      problems.push(
        problem(file, ['families', i], `unknown family "${f}" (known: ${FAMILY_CHOICES.join(', ')})`),
      );
  });
  const known = strawmanByPolicy();
  grid.baselines.forEach((p, i) => {
    if (p === 'hexagent')
      problems.push(problem(file, ['baselines', i], 'hexagent is what is measured, not a baseline'));
    else if (!known.has(p))
      problems.push(
        problem(
          file,
          ['baselines', i],
          `unknown online policy "${p}" (known: ${[...known.keys()].join(', ')})`,
        ),
      );
  });
  const clusters = grid.clusters.map((name, i) => {
    const path = resolve(dirname(file), name);
    if (!existsSync(path) || statSync(path).isDirectory())
      problems.push(problem(file, ['clusters', i], `no such file: ${displayPath(path)}`));
    return { name: basename(name, '.json'), path: displayPath(path) };
  });
  throwIfProblems(problems);
  return { file: displayPath(file), grid, clusters };
}

export interface HeadlineOptions {
  /** Called after each cell, for progress reporting. */
  onCell?: (done: number, total: number) => void;
}

/**
 * Runs the headline grid: for each family × cluster × load a seeded workload is generated
 * (the same shapes at every load, arrivals compressed), and hexagent and every baseline are
 * simulated on it in each mode. Deterministic: the same grid gives the same result.
 */
export function runHeadline(file: string, options: HeadlineOptions = {}): Headline {
  const { grid, clusters } = loadHeadlineGrid(file);
  const catalog = loadCatalog();
  const policies = ['hexagent', ...grid.baselines];
  const cells: HeadlineCell[] = [];
  const total = grid.families.length * clusters.length * grid.loads.length * grid.modes.length;
  for (const c of clusters) {
    const { cluster, profiles } = loadCluster(c.path, catalog);
    const cost = buildCostModel(cluster, { catalog, profiles, source: c.path });
    const workflows = grid.workflows_per_instance * cluster.instances.length;
    for (const family of grid.families) {
      for (const load of grid.loads) {
        const name = `${family}-${c.name}-load${load}`;
        const generated = generateWorkload({
          family: family as FamilyChoice,
          workflows,
          seed: grid.seed,
          load,
          cost,
          clusterName: cluster.name ?? c.name,
          name,
        });
        const scenario = makeScenario(generated.workload, cluster, {
          catalog,
          profiles,
          workloadFile: name,
          clusterFile: c.path,
        });
        for (const mode of grid.modes) {
          const p95: Record<string, number> = {};
          const p99: Record<string, number> = {};
          for (const policy of policies) {
            const m = simulate(scenario, policy, { mode }).metrics;
            p95[policy] = m.p95;
            p99[policy] = m.p99;
          }
          cells.push({ family, cluster: c.name, load, mode, workflows, calls: generated.calls, p95, p99 });
          options.onCell?.(cells.length, total);
        }
      }
    }
  }
  return summarizeHeadline(displayPath(file), cells, grid.baselines);
}

/** The table the paper reports, from cells already run. */
export function summarizeHeadline(
  gridFile: string,
  cells: HeadlineCell[],
  baselines: readonly string[],
): Headline {
  const strawmen = strawmanByPolicy();
  const fair = baselines.filter((b) => !strawmen.get(b));
  const setAside = baselines.filter((b) => strawmen.get(b));
  const reductions = (label: string, versus: readonly string[]): ReductionRow => {
    const at = (q: 'p95' | 'p99') => {
      const xs = cells.flatMap((cell) => versus.map((b) => (cell[q][b]! - cell[q].hexagent!) / cell[q][b]!));
      return {
        mean: xs.reduce((a, b) => a + b, 0) / xs.length,
        max: Math.max(...xs),
        min: Math.min(...xs),
      };
    };
    return { versus: label, p95: at('p95'), p99: at('p99') };
  };
  const rows = [...baselines.map((b) => reductions(b, [b])), reductions('all (fair)', fair)];
  const losses: Headline['losses'] = [];
  for (const cell of cells) {
    if (cell.load > 1 || fair.length === 0) continue;
    const best = fair.reduce((a, b) => (cell.p95[b]! < cell.p95[a]! ? b : a));
    const ratio = cell.p95.hexagent! / cell.p95[best]!;
    if (ratio > WITHIN_FACTOR)
      losses.push({
        family: cell.family,
        cluster: cell.cluster,
        load: cell.load,
        mode: cell.mode,
        best,
        ratio,
      });
  }
  return { grid: gridFile, cells, rows, setAside, losses, paper: PAPER_REDUCTION };
}
