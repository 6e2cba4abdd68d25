/**
 * Every JSON output and results file names its format and version first, e.g.
 * `{ "schema": "hexplan/gap-result@1", ... }`, so a script can tell what it reads and a later
 * version can change a field without silently breaking it.
 */
export function outputSchemaId(name: string): string {
  return `hexplan/${name}@1`;
}

export function withSchema<T extends object>(name: string, value: T): { schema: string } & T {
  return { schema: outputSchemaId(name), ...value };
}
