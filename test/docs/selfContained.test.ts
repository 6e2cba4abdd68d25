import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Where a reader or a user meets the project's words: docs, sources (comments, --help), scripts. */
const ROOTS = ['README.md', 'docs', 'src', 'scripts', 'bench', 'models', 'instances', 'traces'];
const TEXT = /\.(md|ts|mjs|js|json|py|txt)$/;

function files(root: string): string[] {
  if (TEXT.test(root)) return [root];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && TEXT.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('the repository is self-contained', () => {
  it('no document, source or data file points outside it (design notes, sibling folders)', () => {
    const outside = /\.\.\/shared|\bDESIGN\.md|\bTEAM\.md|\bSTYLE\.md/;
    const found: string[] = [];
    for (const f of ROOTS.flatMap(files)) {
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (outside.test(line)) found.push(`${f}:${i + 1}: ${line.trim().slice(0, 100)}`);
        });
    }
    expect(found).toEqual([]);
  });
});
