/**
 * Regenerates the calibration sections of README.md and docs/calibration.md (between the
 * calibration markers; docs/calibration.md also lists every point between calibration-points
 * markers) from src/profile/calibrationReport.ts, so the tables are measured from the code.
 *
 *   npx tsx scripts/calibration-table.ts          (prints the markdown)
 *   npx tsx scripts/calibration-table.ts --write  (also updates README.md and docs/calibration.md)
 */
import { fileURLToPath } from 'node:url';
import { calibrationMarkdown } from '../src/profile/calibrationReport.ts';
import { writeGeneratedSection } from './generatedSection.ts';

const path = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const summary = calibrationMarkdown();
const full = calibrationMarkdown(undefined, { points: true });
process.stdout.write(`${full}\n`);
if (process.argv.includes('--write')) {
  const updated = [
    ...writeGeneratedSection([path('../README.md'), path('../docs/calibration.md')], 'calibration', summary),
    ...writeGeneratedSection(
      [path('../docs/calibration.md')],
      'calibration-points',
      full.slice(summary.length),
    ),
  ];
  if (updated.length < 3) throw new Error(`calibration markers missing (updated only ${updated.join(', ')})`);
  process.stderr.write(`updated ${updated.join(', ')}\n`);
}
