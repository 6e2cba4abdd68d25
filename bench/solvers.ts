/**
 * The three backends side by side on the same models, in one run: why `highs` is the default.
 * Every solve runs in a worker under the watchdog with the same time limit; each solver first
 * solves a smaller instance of the same family in that worker, so WebAssembly compilation and
 * warm-up are not charged to the timed solve. The machine's load is recorded with the figures.
 *
 *   npx tsx bench/solvers.ts [--time-limit 30]
 *
 * Writes bench/results/solvers.json and bench/results/solvers.md.
 */
import os from 'node:os';
import { toJsonText, writeFileAtomic } from '../src/io/files.ts';
import { nonzeros, packModel } from '../src/solver/backends/packed.ts';
import { SOLVER_NAMES } from '../src/solver/backends/runners.ts';
import type { Model } from '../src/solver/model.ts';
import { closeIdleWorkers, solveModel } from '../src/solver/solve.ts';
import {
  assignment,
  denseLp,
  facilityLocation,
  timeIndexedSchedule,
  transportation,
} from '../test/solver/backends.models.ts';

const argIndex = process.argv.indexOf('--time-limit');
const timeLimitS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 30;

interface Case {
  label: string;
  model: () => Model;
  warmup: () => Model;
}

const CASES: Case[] = [
  {
    label: 'time-indexed scheduling ILP (14 jobs)',
    model: () => timeIndexedSchedule(14),
    warmup: () => timeIndexedSchedule(5),
  },
  {
    label: 'generalized assignment ILP (5 machines × 20 jobs)',
    model: () => assignment(5, 20),
    warmup: () => assignment(2, 6),
  },
  {
    label: 'capacitated facility location MILP (15 × 40)',
    model: () => facilityLocation(15, 40),
    warmup: () => facilityLocation(4, 8),
  },
  {
    label: 'generalized assignment ILP (8 machines × 30 jobs)',
    model: () => assignment(8, 30),
    warmup: () => assignment(2, 6),
  },
  {
    label: 'capacitated facility location MILP (25 × 60)',
    model: () => facilityLocation(25, 60),
    warmup: () => facilityLocation(4, 8),
  },
  { label: 'dense LP (150 × 150)', model: () => denseLp(150, 150), warmup: () => denseLp(10, 10) },
  {
    label: 'transportation LP (60 × 150)',
    model: () => transportation(60, 150),
    warmup: () => transportation(5, 10),
  },
];

interface Row {
  model: string;
  columns: number;
  rows: number;
  nonzeros: number;
  integers: number;
  solver: string;
  status: string;
  objective: number | null;
  bound: number | null;
  gap: number | null;
  seconds: number;
  message: string | null;
}

const results: Row[] = [];
const load = os.loadavg().map((x) => Number(x.toFixed(2)));
for (const c of CASES) {
  const model = c.model();
  const packed = packModel(model);
  for (const solver of SOLVER_NAMES) {
    await solveModel(c.warmup(), { solver, isolation: 'worker', timeLimitS });
    const r = await solveModel(model, { solver, isolation: 'worker', timeLimitS });
    const row: Row = {
      model: c.label,
      columns: packed.numCols,
      rows: packed.numRows,
      nonzeros: nonzeros(packed),
      integers: model.variables.filter((v) => v.type !== 'continuous').length,
      solver,
      status: r.status,
      objective: r.objective,
      bound: r.bound,
      gap: r.gap,
      seconds: Number(r.solveSeconds.toFixed(2)),
      message: r.message ?? null,
    };
    results.push(row);
    process.stderr.write(`${c.label} | ${solver}: ${r.status} ${r.objective ?? '-'} in ${row.seconds} s\n`);
  }
  await closeIdleWorkers();
}

const meta = {
  command: `npx tsx bench/solvers.ts --time-limit ${timeLimitS}`,
  node: process.version,
  cpus: os.cpus().length,
  loadAverageBefore: load,
  loadAverageAfter: os.loadavg().map((x) => Number(x.toFixed(2))),
  timeLimitS,
};
writeFileAtomic('bench/results/solvers.json', toJsonText({ ...meta, results }));

const fmt = (x: number | null, digits = 2) => (x === null ? '–' : Number(x.toFixed(digits)).toString());
const lines = [
  '# Solver backends side by side',
  '',
  `Command: \`${meta.command}\` (Node ${meta.node}, ${meta.cpus} CPUs, load average ${meta.loadAverageBefore.join(' / ')} ` +
    `before, ${meta.loadAverageAfter.join(' / ')} after). Each solve runs in a worker under the watchdog with a ` +
    `${timeLimitS} s limit, after an untimed warm-up solve of a smaller model of the same family.`,
  '',
  '| model | size (cols × rows, nnz, ints) | solver | status | objective | bound | gap | seconds |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.model} | ${r.columns} × ${r.rows}, ${r.nonzeros}, ${r.integers} | ${r.solver} | ${r.status} | ` +
      `${fmt(r.objective)} | ${fmt(r.bound)} | ${r.gap === null ? '–' : `${(100 * r.gap).toFixed(2)} %`} | ${r.seconds} |`,
  ),
  '',
];
writeFileAtomic('bench/results/solvers.md', lines.join('\n'));
process.stdout.write(lines.join('\n'));
