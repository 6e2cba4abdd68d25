/**
 * Solver backends by name, each built once from its runner (runners.ts holds the only list).
 */
import { backendFromRunner } from './adapter.ts';
import type { SolverBackend, SolverName } from './backend.ts';
import { getRunner } from './runners.ts';

const backends = new Map<SolverName, SolverBackend>();

export function getBackend(name: string): SolverBackend {
  let b = backends.get(name);
  if (!b) {
    b = backendFromRunner(getRunner(name));
    backends.set(name, b);
  }
  return b;
}

export { isSolverName, registerRunner, SOLVER_NAMES } from './runners.ts';
