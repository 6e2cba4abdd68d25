/**
 * The only list of solver runners, shared by the calling thread and the solver worker: adding
 * a solver is its runner file beside this one (exporting a RunnerEntry) and a line here.
 */
import { HexplanError } from '../../errors.ts';
import type { SolverName } from './backend.ts';
import { glpkRunner } from './glpk.ts';
import { highsRunner } from './highs.ts';
import { jslpRunner } from './jslp.ts';
import type { RunnerEntry } from './raw.ts';

const RUNNERS: RunnerEntry[] = [highsRunner, glpkRunner, jslpRunner];
const BUILT_IN = new Set(RUNNERS.map((r) => r.name));

/** Names of the registered solvers, in registry order (kept current by registerRunner). */
export const SOLVER_NAMES: readonly SolverName[] = RUNNERS.map((r) => r.name);

export function isSolverName(name: string): boolean {
  return SOLVER_NAMES.includes(name);
}

export function getRunner(name: string): RunnerEntry {
  const entry = RUNNERS.find((r) => r.name === name);
  if (!entry) throw new HexplanError(`solver: unknown solver "${name}" (known: ${SOLVER_NAMES.join(', ')})`);
  return entry;
}

/** Whether a worker thread can find this runner (built in, or loadable from its moduleUrl). */
export function workerCanLoad(entry: RunnerEntry): boolean {
  return BUILT_IN.has(entry.name) || entry.moduleUrl !== undefined;
}

/** Adds a solver (a plug-in or a test's throwaway one); its name must be new. */
export function registerRunner(entry: RunnerEntry): void {
  if (SOLVER_NAMES.includes(entry.name)) throw new Error(`solver "${entry.name}" is registered already`);
  RUNNERS.push(entry);
  (SOLVER_NAMES as SolverName[]).push(entry.name);
}
