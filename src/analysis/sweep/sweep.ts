import { appendFileSync } from 'node:fs';
import { HexplanError } from '../../errors.ts';
import { writeFileAtomic } from '../../io/files.ts';
import { makeScenario } from '../../scenario/scenario.ts';
import { type Combo, gridCombos } from './combos.ts';
import { type LoadedGrid, loadGrid } from './grid.ts';
import { runInWorkers } from './pool.ts';
import { readExisting } from './resume.ts';
import { runCombo, ScenarioCache } from './runCombo.ts';

export interface SweepOptions {
  /** Worker threads (default 1: run in this thread). */
  workers?: number;
  /** Called once before running, with what resuming found. */
  onStart?: (info: { runs: number; skipped: number; dropped: number; todo: number }) => void;
  /** Called after each line is written. */
  onProgress?: (written: number, todo: number) => void;
}

export interface SweepSummary {
  /** Combinations in the grid. */
  runs: number;
  /** Already in the results file, not run again. */
  skipped: number;
  /** Lines run and written now. */
  written: number;
  file: string;
}

/**
 * Runs every combination of a grid that `outFile` does not already hold, appending one JSON
 * line per run (one append of the full line, so a crash leaves at most one cut last line).
 * When it finishes, the file holds exactly one line per combination in grid order, byte for
 * byte the same whatever the worker count and however often it was interrupted.
 */
export async function runSweep(
  gridFile: string,
  outFile: string,
  options: SweepOptions = {},
): Promise<SweepSummary> {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1)
    throw new HexplanError(`--workers: expected a positive integer, got ${workers}`);
  const loaded = loadGrid(gridFile);
  const combos = gridCombos(loaded);
  const cache = new ScenarioCache();
  checkPairs(loaded, cache);

  const existing = readExisting(outFile, new Set(combos.map((c) => c.key)));
  const todo = combos.filter((c) => !existing.done.has(c.key));
  const skipped = combos.length - todo.length;
  options.onStart?.({ runs: combos.length, skipped, dropped: existing.dropped, todo: todo.length });
  // Cut or foreign lines are removed before appending, so appended lines start on a line of their own.
  if (!existing.clean) writeLines(outFile, combos, existing.done);

  const lines = new Map(existing.done);
  let written = 0;
  const append = (combo: Combo, line: string) => {
    try {
      appendFileSync(outFile, `${line}\n`);
    } catch (err) {
      throw new HexplanError(`${outFile}: (file): cannot append: ${(err as Error).message}`);
    }
    lines.set(combo.key, line);
    written++;
    options.onProgress?.(written, todo.length);
  };

  if (workers === 1) {
    for (const combo of todo) append(combo, runCombo(combo, cache));
  } else {
    // Completions arrive in any order; buffer them and append in grid order.
    const pending = new Map<number, string>();
    let nextToWrite = 0;
    await runInWorkers(todo, workers, (index, line) => {
      pending.set(index, line);
      while (pending.has(nextToWrite)) {
        append(todo[nextToWrite]!, pending.get(nextToWrite)!);
        pending.delete(nextToWrite);
        nextToWrite++;
      }
    });
  }

  // Reruns of lines that were missing in the middle were appended at the end: restore grid order.
  const position = new Map(combos.map((c, i) => [c.key, i]));
  const firstNew = todo.length > 0 ? position.get(todo[0]!.key)! : Infinity;
  let lastKept = -1;
  for (const k of existing.done.keys()) lastKept = Math.max(lastKept, position.get(k)!);
  if (firstNew < lastKept) writeLines(outFile, combos, lines);
  return { runs: combos.length, skipped, written, file: outFile };
}

function writeLines(file: string, combos: readonly Combo[], lines: ReadonlyMap<string, string>): void {
  const text = combos
    .map((c) => lines.get(c.key))
    .filter((l): l is string => l !== undefined)
    .map((l) => `${l}\n`)
    .join('');
  writeFileAtomic(file, text);
}

/** Fails before any run if a workload cannot run on a cluster (e.g. a model the cluster does not serve). */
function checkPairs(loaded: LoadedGrid, cache: ScenarioCache): void {
  for (const w of loaded.workloads)
    for (const c of loaded.clusters) {
      const { cluster, profiles, catalog } = cache.cluster(c.path);
      makeScenario(cache.workload(w.path), cluster, {
        catalog,
        profiles,
        workloadFile: w.path,
        clusterFile: c.path,
      });
    }
}
