import { existsSync } from 'node:fs';
import { readTextFile } from '../../io/files.ts';

/** What an earlier (possibly crashed) run left in a results file. */
export interface ExistingResults {
  /** Complete lines by key (first occurrence), without newline. */
  done: Map<string, string>;
  /** Lines dropped: truncated, not JSON, duplicates, or keys not in the grid. */
  dropped: number;
  /** Complete lines of the grid that no longer describe what the cell would run, to run again. */
  stale: number;
  /** True when the file holds exactly the kept lines, so new lines can simply be appended. */
  clean: boolean;
}

/** Whether a complete line of the grid was produced under settings the cell no longer runs with. */
export type StaleLine = (key: string, line: Record<string, unknown>) => boolean;

/**
 * Reads a results file for resuming. A line counts as done only when it ends with a newline
 * and parses as an object whose key is in the grid: a crash mid-append leaves a last line
 * without its newline, and an edited file may hold cut lines in the middle. A line `isStale`
 * rejects is not done either: its cell runs again and the new line replaces it.
 */
export function readExisting(
  file: string,
  keys: ReadonlySet<string>,
  isStale: StaleLine = () => false,
): ExistingResults {
  const done = new Map<string, string>();
  if (!existsSync(file)) return { done, dropped: 0, stale: 0, clean: true };
  const text = readTextFile(file);
  const parts = text.split('\n');
  // The piece after the last newline is a truncated line ('' when the file ends cleanly).
  const tail = parts.pop()!;
  let dropped = tail === '' ? 0 : 1;
  let stale = 0;
  for (const line of parts) {
    const parsed = parseLine(line);
    const key = parsed?.key;
    if (typeof key !== 'string' || !keys.has(key) || done.has(key)) dropped++;
    else if (isStale(key, parsed!)) stale++;
    else done.set(key, line);
  }
  return { done, dropped, stale, clean: dropped === 0 && stale === 0 };
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // A cut line: not done.
  }
  return null;
}
