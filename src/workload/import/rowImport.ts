import { ArrivalClock } from './clock.ts';
import type { ReadCounts } from './finish.ts';
import { checkReadable } from './lines.ts';
import type { ResolvedImportOptions } from './options.ts';
import { RowWorkflowBuilder, type ShapeSource } from './rows.ts';
import { SkipLog } from './summary.ts';

/**
 * What every row-per-call importer (azure, mooncake) starts with: the file's size for
 * progress, the skip log, the arrival clock, the workflow builder and the read counters.
 */
export function startRowImport(
  file: string,
  opts: ResolvedImportOptions,
  format: string,
  shapes: ShapeSource | null,
) {
  const counts: ReadCounts = { rowsRead: 0, rowsUsed: 0, outsideWindow: 0, stopped: null, notes: [] };
  return {
    sizeBytes: Math.max(1, checkReadable(file)),
    skip: new SkipLog(file, opts.strict),
    clock: new ArrivalClock(opts.startS, opts.endS, opts.timeScale),
    builder: new RowWorkflowBuilder(`${format}-`, opts.model, opts.family ?? format, shapes),
    counts,
  };
}
