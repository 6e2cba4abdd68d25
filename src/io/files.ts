import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { HexplanError } from '../errors.ts';
import { jsonErrorOffset } from './jsonErrorOffset.ts';

/** Reads a text file, turning "not found" and friends into a user-facing error. */
export function readTextFile(file: string): string {
  try {
    if (!existsSync(file)) throw new HexplanError(`${file}: (file): no such file`);
    const stat = statSync(file);
    if (stat.isDirectory()) throw new HexplanError(`${file}: (file): is a directory, expected a file`);
    if (stat.size > MAX_TEXT_FILE_BYTES) throw tooLarge(file);
    // A device or pipe (/dev/zero) reports size 0 and may never end: read it up to the limit.
    return stat.isFile() ? readFileSync(file, 'utf8') : readCapped(file);
  } catch (err) {
    if (err instanceof HexplanError) throw err;
    throw new HexplanError(`${file}: (file): cannot read: ${(err as Error).message}`);
  }
}

/**
 * Largest document read whole (256 MiB): far above the bundled `large` workload, far below
 * V8's string limit; streamed formats (traces) have no such limit.
 */
export const MAX_TEXT_FILE_BYTES = 256 * 1024 * 1024;

const tooLarge = (file: string) =>
  new HexplanError(`${file}: (file): larger than the limit of ${MAX_TEXT_FILE_BYTES} bytes for a document`);

function readCapped(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_TEXT_FILE_BYTES) throw tooLarge(file);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
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
  removeStrayTemps(file);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new HexplanError(`${file}: (file): cannot write: ${(err as Error).message}`);
  }
}

/**
 * Deletes temporaries of earlier writes of `file` whose process is gone (a `kill -9` between
 * write and rename leaves one). A live writer's temporary is left alone: its pid still runs.
 */
function removeStrayTemps(file: string): void {
  const prefix = `.${basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return; // the write itself reports a missing folder
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid))
      rmSync(join(dirname(file), name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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
