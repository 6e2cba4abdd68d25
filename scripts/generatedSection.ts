import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/io/files.ts';

/**
 * Replaces the text between `<!-- NAME:begin … -->` and `<!-- NAME:end -->` in every file that
 * carries those markers, so a table generated from the code appears in docs/ and README.md alike
 * and is never typed by hand. Returns the files updated.
 */
export function writeGeneratedSection(files: string[], name: string, content: string): string[] {
  const updated: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const begin = text.indexOf(`<!-- ${name}:begin`);
    const end = text.indexOf(`<!-- ${name}:end -->`);
    if (begin < 0 || end < begin) continue;
    const afterBegin = text.indexOf('-->', begin) + 3;
    writeFileAtomic(file, `${text.slice(0, afterBegin)}\n${content.trim()}\n${text.slice(end)}`);
    updated.push(file);
  }
  return updated;
}
