/**
 * Runs the headline grid (instances/grids/headline.json) and writes what it measured:
 * bench/results/headline.json (every cell), bench/results/headline.md, and the table in
 * README.md and docs/simulator.md between the headline markers. One command regenerates it all
 * after profiles or policies change:
 *
 *   npm run headline        (= npx tsx scripts/headline.ts)
 */
import { execSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runHeadline } from '../src/analysis/headline.ts';
import { headlineNote, headlineTable, lossesTable } from '../src/analysis/headlineTable.ts';
import { toJsonText, writeFileAtomic } from '../src/io/files.ts';
import { writeGeneratedSection } from './generatedSection.ts';

const path = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const grid = path('../instances/grids/headline.json');
const started = process.hrtime.bigint();
const load = loadavg()[0]!.toFixed(2);
const workers = availableParallelism();
const h = await runHeadline(grid, {
  workers,
  // A counter rewritten in place only where a terminal shows it; logs get the summary alone.
  onCell: process.stderr.isTTY
    ? (done, total) => process.stderr.write(`\rheadline: ${done}/${total} runs`)
    : undefined,
});
if (process.stderr.isTTY) process.stderr.write('\n');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const commit = execSync('git rev-parse --short HEAD', { cwd: path('..') })
  .toString()
  .trim();

const cells = h.cells.length;
const calls = h.cells.reduce((s, c) => s + c.calls, 0) / Math.max(cells, 1);
const section = `Measured by \`npm run headline\` (${cells} cells: instances/grids/headline.json; commit ${commit}).

\`\`\`
${headlineTable(h)}
\`\`\`

${headlineNote(h)}

Cells with load ≤ 1.0 where hexagent's p95 is more than 5% above the best fair baseline's:

\`\`\`
${lossesTable(h)}
\`\`\``;

const md = `# Headline: HexAGenT vs baselines over the headline grid

Command: \`npm run headline\` (scripts/headline.ts; the same table as \`hexplan headline\`).
Grid: instances/grids/headline.json. ${cells} cells, ${Math.round(calls)} calls per workload on average.
Run: ${seconds.toFixed(0)} s on this machine (${workers} worker threads), 1-minute load average ${load} at the start (2 cores shared).

${section}

Every cell's p95 and p99 per policy: bench/results/headline.json.
`;
writeFileAtomic(path('../bench/results/headline.json'), toJsonText(h));
writeFileAtomic(path('../bench/results/headline.md'), md);
const updated = writeGeneratedSection(
  [path('../README.md'), path('../docs/simulator.md')],
  'headline',
  section,
);
process.stdout.write(`${md}\nupdated ${updated.join(', ')}\n`);
