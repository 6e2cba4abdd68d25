import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { HexplanError } from '../errors.ts';
import { jsonErrorOffset } from './jsonErrorOffset.ts';

/** Reads a text file, turning "not found" and friends into a user-facing error. */
export function readTextFile(file: string): string {
  try {
    if (!existsSync(file)) throw new HexplanError(`${file}: (file): no such file`);
    if (statSync(file).isDirectory())
      throw new HexplanError(`${file}: (file): is a directory, expected a file`);
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof HexplanError) throw err;
    throw new HexplanError(`${file}: (file): cannot read: ${(err as Error).message}`);
  }
}

/** Parses JSON, reporting the line and column of a syntax error instead of a stack trace. */
export function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message.split('\n')[0]!.slice(0, 120);
    if (text.trim() === '') throw new HexplanError(`${file}: (root): empty file, expected JSON`);
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    const truncated = offset >= text.length ? ' (the file ends early: truncated?)' : '';
    throw new HexplanError(
      `${file}: (root): malformed JSON at line ${line}, column ${col}${truncated}: ${msg}`,
    );
  }
}

export function readJsonFile(file: string): unknown {
  return parseJsonText(file, readTextFile(file));
}

/**
 * Writes a file atomically: a temporary sibling is written and renamed over the target, so a
 * crash or a validation error never leaves a half-written output behind.
 */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const tmp = join(dirname(file), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new HexplanError(`${file}: (file): cannot write: ${(err as Error).message}`);
  }
}

/** Stable JSON: two-space indent and a trailing newline, so outputs diff cleanly. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A path as a person would type it: relative to the working directory when the file is below
 * it, so outputs do not embed where a clone happens to live (the bundled defaults are absolute).
 */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
