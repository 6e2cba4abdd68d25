import { existsSync } from 'node:fs';
import { readTextFile } from '../../io/files.ts';

/** What an earlier (possibly crashed) run left in a results file. */
export interface ExistingResults {
  /** Complete lines by key (first occurrence), without newline. */
  done: Map<string, string>;
  /** Lines dropped: truncated, not JSON, duplicates, or keys not in the grid. */
  dropped: number;
  /** True when the file holds exactly the kept lines, so new lines can simply be appended. */
  clean: boolean;
}

/**
 * Reads a results file for resuming. A line counts as done only when it ends with a newline
 * and parses as an object whose key is in the grid: a crash mid-append leaves a last line
 * without its newline, and an edited file may hold cut lines in the middle.
 */
export function readExisting(file: string, keys: ReadonlySet<string>): ExistingResults {
  const done = new Map<string, string>();
  if (!existsSync(file)) return { done, dropped: 0, clean: true };
  const text = readTextFile(file);
  const parts = text.split('\n');
  // The piece after the last newline is a truncated line ('' when the file ends cleanly).
  const tail = parts.pop()!;
  let dropped = tail === '' ? 0 : 1;
  for (const line of parts) {
    const key = lineKey(line);
    if (key === null || !keys.has(key) || done.has(key)) dropped++;
    else done.set(key, line);
  }
  return { done, dropped, clean: dropped === 0 };
}

function lineKey(line: string): string | null {
  try {
    const v: unknown = JSON.parse(line);
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { key?: unknown }).key === 'string')
      return (v as { key: string }).key;
  } catch {
    // A cut line: not done.
  }
  return null;
}
