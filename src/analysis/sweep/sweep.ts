import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HexplanError } from '../../errors.ts';
import { writeFileAtomic } from '../../io/files.ts';
import { staleProvisionLines } from './cells/provision.ts';
import { type Cell, gridCells } from './cells.ts';
import { type LoadedGrid, loadGrid } from './grid.ts';
import { runInWorkers } from './pool.ts';
import type { CellTiming } from './timing.ts';

export type { CellTiming, OnLine } from './timing.ts';

import type { QueueOptions } from './queue/connection.ts';
import { readExisting } from './resume.ts';
import { runCell, ScenarioCache } from './runCell.ts';
import { type Shard, shardSlice } from './shard.ts';
import type { OnLine } from './timing.ts';

export interface SweepOptions {
  /** Worker threads (default 1: run in this thread). Ignored with `queue`. */
  workers?: number;
  /** Run the cells through a Redis queue served by `hexplan worker` processes instead of threads. */
  queue?: QueueOptions;
  /** Only this contiguous block of the grid (batch-scheduler arrays). */
  shard?: Shard;
  /** Called once before running, with what resuming found. */
  onStart?: (info: { runs: number; skipped: number; dropped: number; stale: number; todo: number }) => void;
  /** Called after each line is written. */
  onProgress?: (written: number, todo: number) => void;
}

export interface SweepSummary {
  /** Cells in the grid (in the shard, with `shard`). */
  runs: number;
  /** Already in the results file, not run again. */
  skipped: number;
  /** Lines run and written now. */
  written: number;
  output: string;
  /** Where each run's wall time and worker went (not part of the results, which stay byte-stable). */
  timings_file: string;
}

/** `R.jsonl` → `R.timings.jsonl`: one line per run, appended in completion order. */
export function timingsFileFor(outFile: string): string {
  return outFile.endsWith('.jsonl')
    ? `${outFile.slice(0, -'.jsonl'.length)}.timings.jsonl`
    : `${outFile}.timings.jsonl`;
}

/**
 * Runs every cell of a grid (or of one shard of it) that `outFile` does not already hold,
 * appending one JSON line per run (one append of the full line, so a crash leaves at most one
 * cut last line). When it finishes, the file holds exactly one line per cell in grid order,
 * byte for byte the same whatever the worker count, the runner (threads or queue) and however
 * often it was interrupted; shards 1…n concatenated equal the whole grid's file.
 */
export async function runSweep(
  gridFile: string,
  outFile: string,
  options: SweepOptions = {},
): Promise<SweepSummary> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new HexplanError(`workers: expected a positive integer, got ${workers}`, { field: 'workers' });
  const loaded = loadGrid(gridFile);
  const all = gridCells(loaded);
  const cells = options.shard ? shardSlice(all, options.shard) : all;
  const cache = new ScenarioCache();
  checkPairs(loaded, cache);

  const existing = readExisting(outFile, new Set(cells.map((c) => c.key)), staleProvisionLines(cells));
  const todo = cells.filter((c) => !existing.done.has(c.key));
  const skipped = cells.length - todo.length;
  options.onStart?.({
    runs: cells.length,
    skipped,
    dropped: existing.dropped,
    stale: existing.stale,
    todo: todo.length,
  });
  // Cut or foreign lines are removed before appending, so appended lines start on a line of their own.
  if (!existing.clean) writeLines(outFile, cells, existing.done);

  const timingsFile = timingsFileFor(outFile);
  const lines = new Map(existing.done);
  let written = 0;
  const append = (cell: Cell, line: string, timing: CellTiming) => {
    try {
      appendFileSync(outFile, `${line}\n`);
      appendFileSync(timingsFile, `${JSON.stringify({ key: cell.key, ...timing })}\n`);
    } catch (err) {
      throw new HexplanError(`${outFile}: (file): cannot append: ${(err as Error).message}`);
    }
    lines.set(cell.key, line);
    written++;
    options.onProgress?.(written, todo.length);
  };

  const runner = { workers, cache, ...(options.queue ? { queue: options.queue } : {}) };
  await runCellsInOrder(todo, runner, (i, line, timing) => append(todo[i]!, line, timing));

  // Reruns of lines that were missing in the middle were appended at the end: restore grid order.
  const position = new Map(cells.map((c, i) => [c.key, i]));
  const firstNew = todo.length > 0 ? position.get(todo[0]!.key)! : Infinity;
  let lastKept = -1;
  for (const k of existing.done.keys()) lastKept = Math.max(lastKept, position.get(k)!);
  if (firstNew < lastKept) writeLines(outFile, cells, lines);
  return { runs: cells.length, skipped, written, output: outFile, timings_file: timingsFile };
}

/**
 * Runs cells in this thread, on `workers` threads or through a queue, and hands each line over
 * in the cells' order (`onLine(index, line, timing)`), whatever order they finish in.
 */
export async function runCellsInOrder(
  cells: readonly Cell[],
  options: { workers: number; queue?: QueueOptions; cache?: ScenarioCache },
  onLine: OnLine,
): Promise<void> {
  if (options.queue) {
    // The collector hands lines over in grid order already. BullMQ and ioredis load only here:
    // they cost about a second at start-up that a sweep on threads never needs.
    const { collectFromQueue } = await import('./queue/collect.ts');
    await collectFromQueue(cells, options.queue, onLine);
  } else if (options.workers === 1) {
    const cache = options.cache ?? new ScenarioCache();
    for (const [i, cell] of cells.entries()) {
      const t0 = performance.now();
      const line = await runCell(cell, cache);
      onLine(i, line, { elapsed_ms: performance.now() - t0, worker: 'main', attempts: 1 });
    }
  } else {
    // Completions arrive in any order; buffer them and hand them over in grid order.
    const pending = new Map<number, [string, CellTiming]>();
    let nextToWrite = 0;
    await runInWorkers(cells, options.workers, (index, line, timing) => {
      pending.set(index, [line, timing]);
      while (pending.has(nextToWrite)) {
        const [l, t] = pending.get(nextToWrite)!;
        onLine(nextToWrite, l, t);
        pending.delete(nextToWrite);
        nextToWrite++;
      }
    });
  }
}

function writeLines(file: string, cells: readonly Cell[], lines: ReadonlyMap<string, string>): void {
  const text = cells
    .map((c) => lines.get(c.key))
    .filter((l): l is string => l !== undefined)
    .map((l) => `${l}\n`)
    .join('');
  writeFileAtomic(file, text);
}

/**
 * Fails before any run if a workload cannot run on a cluster (e.g. a model the cluster does not
 * serve, or a generated workload the cluster cannot be loaded with).
 */
function checkPairs(loaded: LoadedGrid, cache: ScenarioCache): void {
  for (const w of loaded.workloads)
    for (const c of loaded.clusters)
      cache.scenario({
        workload: w.name,
        workloadPath: w.path,
        generate: w.generate,
        clusterPath: c.path,
        rateMultiplier: 1,
      });
}
