import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { packagePath } from '../../io/packageRoot.ts';

let version: string | undefined;

/** hexplan's version, recorded on every result line: a line is only comparable to lines of the same code. */
export function hexplanVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** SHA-256 of a file's bytes: recorded beside each input, so a line names exactly what it ran on. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
