import { importAzure } from './azure.ts';
import type { ImportResult } from './finish.ts';
import { importMooncake } from './mooncake.ts';
import { type ImportOptions, resolveImportOptions } from './options.ts';
import { importOtel } from './otel.ts';
import { shapeSourceFor } from './shapes.ts';

/**
 * Turns a real trace into a validated workload (the library side of `hexplan import`).
 * The trace is streamed; the returned workload is in memory, the raw rows never are.
 */
export async function importTrace(file: string, options: ImportOptions): Promise<ImportResult> {
  const opts = resolveImportOptions(options);
  const shapes = opts.as === 'synthetic-dag' ? shapeSourceFor(opts.family!, opts.seed) : null;
  switch (opts.format) {
    case 'azure':
      return importAzure(file, opts, shapes);
    case 'mooncake':
      return importMooncake(file, opts, shapes);
    case 'otel':
      return importOtel(file, opts);
  }
}
