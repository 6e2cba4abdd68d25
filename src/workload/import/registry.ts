import { HexplanError } from '../../errors.ts';
import { importAzure } from './azure.ts';
import type { TraceImporter } from './importer.ts';
import { importMooncake } from './mooncake.ts';
import { importOtel } from './otel.ts';

/** The only list of trace formats: adding one is a file beside this one and a line here. */
const IMPORTERS: TraceImporter[] = [importAzure, importMooncake, importOtel];
const BY_NAME = new Map(IMPORTERS.map((i) => [i.name, i]));

export function importFormats(): string[] {
  return IMPORTERS.map((i) => i.name);
}

export function getImporter(format: string): TraceImporter {
  const importer = BY_NAME.get(format);
  if (!importer)
    throw new HexplanError(`format: unknown "${format}" (known: ${importFormats().join(', ')})`, {
      field: 'format',
    });
  return importer;
}

/** Adds a trace format (a plug-in or a test's throwaway one); its name must be new. */
export function registerImporter(importer: TraceImporter): void {
  if (BY_NAME.has(importer.name)) throw new Error(`trace format "${importer.name}" is registered already`);
  IMPORTERS.push(importer);
  BY_NAME.set(importer.name, importer);
}
