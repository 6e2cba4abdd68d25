/**
 * The runner of each solver by name: the list the worker thread and the registry share.
 * Adding a solver: write its runner beside this file, add one line here, add its name to
 * SOLVER_NAMES (backend.ts).
 */
import { HexplanError } from '../../errors.ts';
import { SOLVER_NAMES, type SolverName } from './backend.ts';
import { runGlpk } from './glpk.ts';
import { runHighs } from './highs.ts';
import { checkHighsSize } from './highsMemory.ts';
import { runJslp } from './jslp.ts';
import { isMipPacked, nonzeros } from './packed.ts';
import type { RunnerEntry } from './raw.ts';

const RUNNERS: Record<SolverName, RunnerEntry> = {
  highs: {
    name: 'highs',
    run: runHighs,
    interruptible: true,
    precheck: (p, o) =>
      checkHighsSize(
        { numCols: p.numCols, numRows: p.numRows, nonzeros: nonzeros(p), isMip: isMipPacked(p) },
        o.heapLimitBytes,
      ),
  },
  // GLPK honours its own tm_lim in simplex and branch and bound.
  glpk: { name: 'glpk', run: runGlpk, interruptible: true },
  jslp: { name: 'jslp', run: runJslp, interruptible: false },
};

export function getRunner(name: string): RunnerEntry {
  if (!(SOLVER_NAMES as readonly string[]).includes(name)) {
    throw new HexplanError(`unknown solver "${name}" (known: ${SOLVER_NAMES.join(', ')})`);
  }
  return RUNNERS[name as SolverName];
}
