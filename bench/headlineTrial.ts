/**
 * One command per policy variant: runs hexagent on the headline grid (seed 1) and the held-out
 * grid (seed 2) and scores it against the baselines' lines, which are run once and kept in
 * --cache (they do not change when only hexagent does; pass --baselines to rerun them after a
 * change that touches a baseline, e.g. the shared pair search). Prints, per grid, the cells with
 * load ≤ 1.0 above 1.05× the best fair baseline and the mean p95 / p99 reduction vs all fair
 * baselines — the figures of docs/simulator.md's second-round table.
 *
 *   npx tsx bench/headlineTrial.ts [--label NAME] [--baselines] [--workers 2] [--cache DIR]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { headlineFromRows } from '../src/analysis/headline.ts';
import { gridCells, type SimulateCell } from '../src/analysis/sweep/cells.ts';
import { loadGrid } from '../src/analysis/sweep/grid.ts';
import { runCellsInOrder } from '../src/analysis/sweep/sweep.ts';
import { SweepSimulateLine } from '../src/schema/sweepResult.ts';

const { values } = parseArgs({
  options: {
    label: { type: 'string', default: 'trial' },
    baselines: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    cache: { type: 'string', default: '/tmp/hexplan-trial' },
  },
});
const workers = Number(values.workers);
const dir = values.cache!;
mkdirSync(dir, { recursive: true });
const grids = [
  ['seed1', 'instances/grids/headline.json'],
  ['seed2', 'bench/grids/headline-heldout.json'],
] as const;

const run = async (cells: SimulateCell[]): Promise<string[]> => {
  const lines: string[] = [];
  await runCellsInOrder(cells, { workers }, (_, line) => lines.push(line));
  return lines;
};

const started = performance.now();
const summary: string[] = [];
for (const [name, file] of grids) {
  const cells = gridCells(loadGrid(file)).filter((c): c is SimulateCell => c.kind === 'simulate');
  const basePath = `${dir}/${name}-baselines.jsonl`;
  if (values.baselines || !existsSync(basePath)) {
    const lines = await run(cells.filter((c) => c.policy !== 'hexagent'));
    writeFileSync(basePath, `${lines.join('\n')}\n`);
  }
  const baseLines = readFileSync(basePath, 'utf8').trim().split('\n');
  const hexLines = await run(cells.filter((c) => c.policy === 'hexagent'));
  writeFileSync(`${dir}/${name}-${values.label}.jsonl`, `${hexLines.join('\n')}\n`);
  const h = headlineFromRows(
    file,
    [...hexLines, ...baseLines].map((l) => SweepSimulateLine.parse(JSON.parse(l))),
  );
  const all = h.rows.find((r) => r.versus === 'all (fair)')!;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const head = `${name}: ${h.losses.length} losses, p95 mean ${pct(all.p95.mean)}, p99 mean ${pct(all.p99.mean)}`;
  summary.push(head);
  console.log(head);
  for (const l of h.losses)
    console.log(`  ${l.family} × ${l.cluster} ${l.mode} ${l.load}: ${l.ratio.toFixed(3)}× ${l.best}`);
  const byLoad = new Map<number, number[]>();
  for (const c of h.cells) {
    const fair = Object.keys(c.p95).filter((p) => p !== 'hexagent' && p !== 'fcfs');
    const xs = byLoad.get(c.load) ?? [];
    for (const b of fair) xs.push((c.p95[b]! - c.p95.hexagent!) / c.p95[b]!);
    byLoad.set(c.load, xs);
  }
  console.log(
    `  p95 mean by load: ${[...byLoad].map(([l, xs]) => `${l}: ${pct(xs.reduce((a, b) => a + b, 0) / xs.length)}`).join(', ')}`,
  );
}
console.log(
  `[${values.label}] ${summary.join(' | ')} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
