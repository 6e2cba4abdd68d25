/**
 * HiGHS compiled to WebAssembly has a 32-bit heap: 2 GiB at most, and running out aborts the
 * module instead of returning an error. So a model's footprint is estimated from its size
 * before it is loaded, and a model too big is refused with a message that names the size.
 *
 * Calibration (highs 1.15, random sparse LPs, Wasm linear-memory capacity after the solve):
 * 100k rows × 100k cols × 2.0M nonzeros → 720 MiB; 50k × 50k × 0.5M → 218 MiB; empty runtime
 * 20 MiB. A least-squares fit gives ~300 B per nonzero and ~460 B per row or column; the
 * estimate below rounds both up and adds half again for a MIP, whose search keeps extra LP
 * copies, cut and clique pools.
 */
import { HexplanError } from '../../errors.ts';

export const HIGHS_HEAP_LIMIT_BYTES = 2 * 1024 ** 3;
/** Fraction of the heap a model may be estimated to use; the rest is margin for the estimate. */
const SAFE_FRACTION = 0.85;

export interface ModelSize {
  numCols: number;
  numRows: number;
  nonzeros: number;
  isMip: boolean;
}

export function estimateHighsBytes(size: ModelSize): number {
  const base = 32 * 1024 ** 2;
  const lp = 400 * size.nonzeros + 800 * (size.numRows + size.numCols);
  return Math.round(base + lp * (size.isMip ? 1.5 : 1));
}

/** Throws a HexplanError when the model would not fit in HiGHS's WebAssembly heap. */
export function checkHighsSize(size: ModelSize, heapLimitBytes = HIGHS_HEAP_LIMIT_BYTES): void {
  const need = estimateHighsBytes(size);
  const budget = heapLimitBytes * SAFE_FRACTION;
  if (need > budget) {
    throw new HexplanError(
      `model too big for HiGHS in WebAssembly: ${size.numRows} rows × ${size.numCols} columns, ` +
        `${size.nonzeros} nonzeros${size.isMip ? ' (MIP)' : ''} needs about ${mib(need)} MiB, ` +
        `over the ${mib(budget)} MiB usable of its ${mib(heapLimitBytes)} MiB heap; ` +
        'solve a smaller model (coarser time step, fewer calls) or export it (hexplan export-lp) for a native solver',
    );
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 ** 2).toFixed(0);
}
