import { runGapCell } from './cells/gap.ts';
import { runProvisionCell } from './cells/provision.ts';
import { runSimulateCell } from './cells/simulate.ts';
import type { Cell } from './cells.ts';
import { hexplanVersion } from './inputs.ts';
import type { ScenarioCache } from './scenarioCache.ts';

export { ScenarioCache } from './scenarioCache.ts';

/**
 * Runs one cell and returns its result line, without the newline. Every line starts with the
 * cell's key and kind and ends with the version and the SHA-256 of every input file; nothing
 * in it depends on the machine or the clock (timings go to the sidecar file, see sweep.ts).
 */
export async function runCell(cell: Cell, cache: ScenarioCache): Promise<string> {
  const body =
    cell.kind === 'simulate'
      ? runSimulateCell(cell, cache)
      : cell.kind === 'gap'
        ? await runGapCell(cell, cache)
        : await runProvisionCell(cell, cache);
  const inputs = Object.fromEntries(cellFiles(cell).map(([role, path]) => [role, cache.sha256(path)]));
  // A generated workload has no file to hash: its generator's inputs stand for it.
  const generated = cell.generate ? { workload_generated: cell.generate } : {};
  return JSON.stringify({
    key: cell.key,
    kind: cell.kind,
    ...body,
    ...generated,
    version: hexplanVersion(),
    inputs,
  });
}

/** The files a cell reads, by role, as opened. */
export function cellFiles(cell: Cell): Array<[role: string, path: string]> {
  const files: Array<[string, string]> = cell.workloadPath === null ? [] : [['workload', cell.workloadPath]];
  if (cell.kind !== 'provision') files.push(['cluster', cell.clusterPath]);
  else if (cell.catalogPath) files.push(['catalog', cell.catalogPath]);
  return files;
}
