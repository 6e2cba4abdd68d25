import type { ImportResult } from './finish.ts';
import { type ImportOptions, resolveImportOptions } from './options.ts';
import { getImporter } from './registry.ts';
import { shapeSourceFor } from './shapes.ts';

/**
 * Turns a real trace into a validated workload (the library side of `hexplan import`).
 * The trace is streamed; the returned workload is in memory, the raw rows never are.
 */
export async function importTrace(file: string, options: ImportOptions): Promise<ImportResult> {
  const importer = getImporter(options.format);
  const opts = resolveImportOptions(options, importer);
  const shapes = opts.as === 'synthetic-dag' ? shapeSourceFor(opts.family!, opts.seed) : null;
  return importer.run(file, opts, shapes);
}
