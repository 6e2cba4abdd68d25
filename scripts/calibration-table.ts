/**
 * Regenerates the calibration section of docs/data.md and README.md (between the calibration markers) from
 * src/profile/calibrationReport.ts, so the table is measured from the code, not typed.
 *
 *   npx tsx scripts/calibration-table.ts          (prints the markdown)
 *   npx tsx scripts/calibration-table.ts --write  (also updates docs/data.md and README.md)
 */
import { fileURLToPath } from 'node:url';
import { calibrationMarkdown } from '../src/profile/calibrationReport.ts';
import { writeGeneratedSection } from './generatedSection.ts';

const docs = ['../docs/data.md', '../README.md'].map((f) => fileURLToPath(new URL(f, import.meta.url)));
const md = calibrationMarkdown();
process.stdout.write(`${md}\n`);
if (process.argv.includes('--write')) {
  const updated = writeGeneratedSection(docs, 'calibration', md);
  if (updated.length === 0) throw new Error('no file carries the calibration markers');
  process.stderr.write(`updated ${updated.join(', ')}\n`);
}
