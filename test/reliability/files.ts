import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VALID = 'test/fixtures/valid';
export const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

/** A fresh temporary folder and a writer of test files into it (strings as they are, values as JSON). */
export function scratch(prefix: string): { dir: string; put: (name: string, value: unknown) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    put: (name, value) => {
      const f = join(dir, name);
      writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
      return f;
    },
  };
}
