import type { ImportResult } from './finish.ts';
import type { ImportFormatTraits, ResolvedImportOptions } from './options.ts';
import type { ShapeSource } from './rows.ts';

/**
 * A trace format: one file in src/workload/import/ exporting one of these, and one line in
 * registry.ts. `run` streams the file into a validated workload.
 */
export interface TraceImporter extends ImportFormatTraits {
  readonly description: string;
  /** `shapes` is set for row formats imported `as: synthetic-dag`, null otherwise. */
  run(file: string, opts: ResolvedImportOptions, shapes: ShapeSource | null): Promise<ImportResult>;
}
