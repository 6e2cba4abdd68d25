import { basename } from 'node:path';
import { HexplanError } from '../errors.ts';
import { displayPath } from '../io/files.ts';
import { strawmanByPolicy } from '../policy/registry.ts';
import type { SimMode } from '../schema/simMode.ts';
import { SweepSimulateLine } from '../schema/sweepResult.ts';
import { gridCells } from './sweep/cells.ts';
import { loadGrid } from './sweep/grid.ts';
import type { QueueOptions } from './sweep/queue/connection.ts';
import { readResultLines } from './sweep/resultLines.ts';
import { runCellsInOrder } from './sweep/sweep.ts';

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
  set_aside: string[];
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

export interface HeadlineOptions {
  /** Called after each simulation, for progress reporting. */
  onCell?: (done: number, total: number) => void;
  /** Worker threads (default 1: this thread). */
  workers?: number;
  /** Run through a Redis queue served by `hexplan worker` processes instead. */
  queue?: QueueOptions;
}

/**
 * Runs a headline grid: for each family × cluster × load a seeded workload is generated (the
 * same shapes at every load, arrivals compressed), and hexagent and every baseline are simulated
 * on it in each mode. The runs are the cells of the sweep the grid stands for
 * (src/analysis/sweep/headlineGrid.ts), so `hexplan sweep` of the same grid gives the same lines
 * and `headlineFromResults` the same table. Deterministic: the same grid gives the same result.
 */
export async function runHeadline(file: string, options: HeadlineOptions = {}): Promise<Headline> {
  const cells = gridCells(loadGrid(file));
  const lines: string[] = [];
  const runner = { workers: options.workers ?? 1, ...(options.queue ? { queue: options.queue } : {}) };
  await runCellsInOrder(cells, runner, (_, line) => {
    lines.push(line);
    options.onCell?.(lines.length, cells.length);
  });
  return headlineFromRows(
    displayPath(file),
    lines.map((l) => SweepSimulateLine.parse(JSON.parse(l))),
  );
}

/** The headline table of a sweep's results file (`hexplan sweep --grid <headline grid>`). */
export function headlineFromResults(file: string): Headline {
  return headlineFromRows(displayPath(file), readResultLines(file).simulate);
}

/**
 * Groups simulate lines into headline cells (family, cluster, load, mode): hexagent must be among
 * the policies, the others are its baselines in the order they first appear.
 */
export function headlineFromRows(source: string, rows: readonly SweepSimulateLine[]): Headline {
  const policies = [...new Set(rows.map((r) => r.policy))];
  if (!policies.includes('hexagent'))
    throw new HexplanError(`${source}: (file): no hexagent lines: nothing to measure against the baselines`);
  const baselines = policies.filter((p) => p !== 'hexagent');
  const cells = new Map<string, HeadlineCell>();
  for (const r of rows) {
    const generated = r.workload_generated;
    const cell: HeadlineCell = {
      family: generated?.family ?? r.workload,
      cluster: basename(r.cluster, '.json'),
      load: generated ? generated.load * r.rate_multiplier : r.rate_multiplier,
      mode: r.mode,
      workflows: r.workflows,
      calls: r.calls,
      p95: {},
      p99: {},
    };
    const id = JSON.stringify([r.workload, cell.cluster, cell.load, cell.mode]);
    const at = cells.get(id) ?? cell;
    cells.set(id, at);
    at.p95[r.policy] = r.p95;
    at.p99[r.policy] = r.p99;
  }
  const complete = [...cells.values()].filter((c) => policies.every((p) => c.p95[p] !== undefined));
  if (complete.length < cells.size)
    throw new HexplanError(
      `${source}: (file): ${cells.size - complete.length} of ${cells.size} cells lack a policy's line (an unfinished sweep?)`,
    );
  // hexagent first in each cell, then the baselines, whatever the line order.
  const ordered = complete.map((c) => ({
    ...c,
    p95: Object.fromEntries(policies.map((p) => [p, c.p95[p]!])),
    p99: Object.fromEntries(policies.map((p) => [p, c.p99[p]!])),
  }));
  return summarizeHeadline(source, ordered, baselines);
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
  return { grid: gridFile, cells, rows, set_aside: setAside, losses, paper: PAPER_REDUCTION };
}
