import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { HexplanError } from '../../errors.ts';

/** How a line-by-line read ended. */
export interface LinesRead {
  /** Lines delivered (1-based numbering of the last one). */
  lines: number;
  /** False when the last line had no trailing newline (a truncated file looks like this). */
  endsWithNewline: boolean;
  /** True when the callback asked to stop before the end of the file. */
  stoppedEarly: boolean;
  /** Characters read (progress only; not bytes for multi-byte text). */
  chars: number;
}

/** Throws a user-facing error when the file is missing, a directory or unreadable. */
export function checkReadable(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HexplanError(`${file}: (file): ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new HexplanError(`${file}: (file): is a directory, expected a file`);
    return st.size;
  } finally {
    closeSync(fd);
  }
}

/** Whether the file's last byte is a newline (an empty file counts as ending cleanly). */
export function endsWithNewline(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a text file line by line (LF or CRLF), calling `onLine(text, lineNo, isLast)`
 * synchronously for each line; returning `false` stops the read. Only one chunk (1 MiB) and
 * the current partial line are held, so files of any size read in flat memory. A callback per
 * line (rather than an async iterator) keeps the per-row cost low enough for millions of rows.
 */
export async function readLines(
  file: string,
  onLine: (text: string, lineNo: number, isLast: boolean) => boolean | undefined,
  onProgress?: (chars: number) => void,
): Promise<LinesRead> {
  checkReadable(file);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let carry = '';
  let lineNo = 0;
  let chars = 0;
  let stoppedEarly = false;
  const deliver = (raw: string, isLast: boolean): boolean => {
    lineNo++;
    let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
    return onLine(text, lineNo, isLast) !== false;
  };
  try {
    outer: for await (const chunk of stream as AsyncIterable<string>) {
      chars += chunk.length;
      let from = 0;
      let nl = chunk.indexOf('\n');
      if (nl >= 0 && carry !== '') {
        const first = carry + chunk.slice(0, nl);
        carry = '';
        if (!deliver(first, false)) {
          stoppedEarly = true;
          break;
        }
        from = nl + 1;
        nl = chunk.indexOf('\n', from);
      }
      while (nl >= 0) {
        if (!deliver(chunk.slice(from, nl), false)) {
          stoppedEarly = true;
          break outer;
        }
        from = nl + 1;
        nl = chunk.indexOf('\n', from);
      }
      carry += chunk.slice(from);
      onProgress?.(chars);
    }
  } catch (err) {
    // Only I/O errors become user-facing; a throw from onLine (HexplanError or a bug) passes as is.
    if (err instanceof Error && (err as NodeJS.ErrnoException).syscall !== undefined)
      throw new HexplanError(`${file}: (file): cannot read: ${err.message}`);
    throw err;
  } finally {
    stream.destroy();
  }
  let ends = true;
  if (!stoppedEarly && carry !== '') {
    ends = false;
    deliver(carry, true);
  }
  return { lines: lineNo, endsWithNewline: ends, stoppedEarly, chars };
}
