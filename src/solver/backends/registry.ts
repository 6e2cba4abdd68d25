/**
 * The only list of solver backends: a name → adapter map built from the runners, so a name is
 * its own registry key (no enum + class + config to keep in step).
 */
import { HexplanError } from '../../errors.ts';
import { backendFromRunner } from './adapter.ts';
import { SOLVER_NAMES, type SolverBackend, type SolverName } from './backend.ts';
import { getRunner } from './runners.ts';

const backends = new Map<SolverName, SolverBackend>();

export function getBackend(name: string): SolverBackend {
  if (!isSolverName(name)) {
    throw new HexplanError(`unknown solver "${name}" (known: ${SOLVER_NAMES.join(', ')})`);
  }
  let b = backends.get(name);
  if (!b) {
    b = backendFromRunner(getRunner(name));
    backends.set(name, b);
  }
  return b;
}

export function isSolverName(name: string): name is SolverName {
  return (SOLVER_NAMES as readonly string[]).includes(name);
}
