/** Writes docs/formats.md from the zod schemas (src/schema/formatsDoc.ts). */
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/files.ts';
import { formatsMarkdown } from '../src/schema/formatsDoc.ts';

const file = fileURLToPath(new URL('../docs/formats.md', import.meta.url));
writeFileAtomic(file, formatsMarkdown());
process.stdout.write(`wrote ${file}\n`);
