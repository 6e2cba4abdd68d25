/**
 * Import benchmark: `npx tsx bench/import.ts [--rows 1000000]`.
 *
 * Generates Azure-format CSVs of 100,000 and 1,000,000 rows in a temp dir, then runs each
 * measurement in a fresh child process (after a 50,000-row warm-up import) so peak RSS is
 * its own:
 * - import (csv-parse) and import (hand-rolled split): `importTrace` end to end — stream,
 *   parse, build workflows, validate (schema + checkWorkload), summary. Rows per second.
 * - serialize: the same import plus the JSON bytes `hexplan import` writes.
 * - reader only: the same streaming parse with nothing retained, to show the reading side
 *   stays flat; the import's own growth is the output workload (kept in memory by design).
 * Writes bench/results/import.json and bench/results/import.md.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/io/files.ts';
import { type Workload, Workload as WorkloadSchema } from '../src/schema/workload.ts';
import { Rng } from '../src/util/random.ts';
import { checkWorkload } from '../src/workload/checks.ts';
import { type Instant, parseWallClockInto } from '../src/workload/import/clock.ts';
import { parseTokenCount } from '../src/workload/import/finish.ts';
import { importTrace } from '../src/workload/import/importTrace.ts';
import { workloadJsonBytes } from '../src/workload/import/jsonBytes.ts';
import { readLines } from '../src/workload/import/lines.ts';
import { workloadFigures } from '../src/workload/import/summary.ts';

const JSON_FILE = 'bench/results/import.json';
const MD_FILE = 'bench/results/import.md';
const SELF = fileURLToPath(import.meta.url);

type Mode = 'csv-parse' | 'split' | 'serialize' | 'reader';

interface Run {
  mode: Mode;
  rows: number;
  seconds: number;
  rows_per_s: number;
  /** User + system CPU of the process (all its threads): less sensitive to a busy machine. */
  cpu_seconds: number;
  rows_per_cpu_s: number;
  peak_rss_mb: number;
  heap_used_end_mb: number;
  peak_heap_mb: number;
  /** Re-run on the result, CPU seconds: the validation inside the import, split out. */
  phases_cpu_s?: { schema: number; check_workload: number; summary_figures: number };
}

/** Azure-format rows: Poisson arrivals at 20/s, lognormal lengths near the real trace's. */
async function writeTrace(file: string, rows: number): Promise<void> {
  const rng = new Rng(2024);
  const out = createWriteStream(file);
  out.write('TIMESTAMP,ContextTokens,GeneratedTokens\n');
  const start = Date.UTC(2023, 10, 16, 18, 0, 0) / 1000;
  let ticks = 0; // 100 ns units since start
  let buf = '';
  for (let i = 0; i < rows; i++) {
    ticks += Math.max(1, Math.round(rng.exponential(20) * 1e7));
    const sec = start + Math.floor(ticks / 1e7);
    const d = new Date(sec * 1000).toISOString();
    const stamp = `${d.slice(0, 10)} ${d.slice(11, 19)}.${String(ticks % 1e7).padStart(7, '0')}`;
    const input = Math.max(1, Math.round(rng.lognormal(Math.log(1020), 0.9)));
    const output = Math.max(1, Math.round(rng.lognormal(Math.log(130), 0.8)));
    buf += `${stamp},${input},${output}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** The streaming read and per-row parsing of an import, retaining nothing. */
async function readerPass(file: string): Promise<number> {
  const t: Instant = { sec: 0, ns: 0 };
  let checksum = 0;
  let rows = 0;
  await readLines(file, (text, line) => {
    if (line === 1) return true;
    const f = text.split(',');
    const a = parseTokenCount(f[1]);
    const b = parseTokenCount(f[2]);
    if (parseWallClockInto(f[0]!, t) === null && typeof a === 'number' && typeof b === 'number') {
      checksum += a + b + t.ns;
      rows++;
    }
    return true;
  });
  if (checksum < 0) console.error('impossible');
  return rows;
}

/** Child side: one measurement, printed as JSON on stdout. */
async function child(mode: Mode, file: string, warmup: string): Promise<void> {
  let peakHeap = 0;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  // Warm-up on 50,000 rows with the same code path: module init and JIT tiers are not per-row
  // costs (a cold first pass over 100k rows costs about twice the CPU of the next ones).
  if (mode === 'reader') await readerPass(warmup);
  else {
    const warm = await importTrace(warmup, {
      format: 'azure',
      csvParser: mode === 'csv-parse' ? 'csv-parse' : 'split',
    });
    if (warm.summary.rows_used === 0) throw new Error('warm-up imported nothing');
  }
  const timer = setInterval(sample, 20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let rows = 0;
  let phases: Run['phases_cpu_s'];
  let keep: Workload | null = null;
  if (mode === 'reader') {
    rows = await readerPass(file);
  } else {
    const csvParser = mode === 'csv-parse' ? 'csv-parse' : 'split';
    const r = await importTrace(file, { format: 'azure', csvParser });
    rows = r.summary.rows_used;
    sample();
    if (mode === 'split') keep = r.workload;
    if (mode === 'serialize') {
      const bytes = workloadJsonBytes(r.workload);
      if (bytes.length === 0) console.error('impossible');
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  sample();
  clearInterval(timer);
  const run: Run = {
    mode,
    rows,
    seconds: Number(seconds.toFixed(3)),
    rows_per_s: Math.round(rows / seconds),
    cpu_seconds: Number(cpuSeconds.toFixed(3)),
    rows_per_cpu_s: Math.round(rows / cpuSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    heap_used_end_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    peak_heap_mb: Math.round(peakHeap / 2 ** 20),
  };
  if (keep) phases = measurePhases(keep);
  if (phases) run.phases_cpu_s = phases;
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

function cpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function measurePhases(workload: Workload): NonNullable<Run['phases_cpu_s']> {
  const element = WorkloadSchema.shape.workflows.element;
  let t = cpuS();
  for (const wf of workload.workflows) element.safeParse(wf);
  const schema = cpuS() - t;
  t = cpuS();
  checkWorkload('bench', workload);
  const check = cpuS() - t;
  t = cpuS();
  workloadFigures(workload);
  const figures = cpuS() - t;
  const r3 = (x: number) => Number(x.toFixed(3));
  return { schema: r3(schema), check_workload: r3(check), summary_figures: r3(figures) };
}

function measure(mode: Mode, file: string, warmup: string): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, file, warmup], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`child ${mode} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Run;
}

async function parent(): Promise<void> {
  const rowsArg = process.argv.indexOf('--rows');
  const big = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
  const small = Math.round(big / 10);
  const dir = mkdtempSync(join(tmpdir(), 'hexplan-bench-import-'));
  try {
    const warmup = join(dir, 'warmup.csv');
    await writeTrace(warmup, 50_000);
    const files: Record<number, string> = {};
    for (const n of [small, big]) {
      files[n] = join(dir, `azure-${n}.csv`);
      const t = performance.now();
      await writeTrace(files[n]!, n);
      console.error(`generated ${n} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const load = loadavg().map((x) => Number(x.toFixed(2)));
    const runs: Run[] = [];
    for (const n of [small, big]) {
      for (const mode of ['reader', 'csv-parse', 'split', 'serialize'] as Mode[]) {
        const run = measure(mode, files[n]!, warmup);
        console.error(
          `${mode.padEnd(10)} ${String(n).padStart(8)} rows  ${run.seconds} s  ${run.rows_per_s} rows/s  ` +
            `cpu ${run.cpu_seconds} s  peak RSS ${run.peak_rss_mb} MB`,
        );
        runs.push(run);
      }
    }
    const loadAfter = loadavg().map((x) => Number(x.toFixed(2)));
    const result = {
      command: 'npx tsx bench/import.ts',
      node: process.version,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      load_average_before: load,
      load_average_after: loadAfter,
      target_rows_per_s: 200_000,
      runs,
    };
    writeFileAtomic(JSON_FILE, `${JSON.stringify(result, null, 2)}\n`);
    writeFileAtomic(MD_FILE, render(result));
    console.error(`wrote ${JSON_FILE} and ${MD_FILE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The sentence the results must support, computed from them rather than written by hand. */
function verdict(runs: Run[]): string {
  const split = runs.filter((x) => x.mode === 'split').at(-1)!;
  const csv = runs.filter((x) => x.mode === 'csv-parse').at(-1)!;
  const met = split.rows_per_s >= 200_000;
  return (
    `Verdict at ${split.rows.toLocaleString('en-US')} rows: the default import (split) ran at ` +
    `${split.rows_per_s.toLocaleString('en-US')} rows/s wall-clock — the 200,000 rows/s target is ` +
    `${met ? 'met' : 'NOT met on this run'} — and ${split.rows_per_cpu_s.toLocaleString('en-US')} rows per CPU second; ` +
    `csv-parse ${csv.rows_per_s.toLocaleString('en-US')} rows/s wall, ${csv.rows_per_cpu_s.toLocaleString('en-US')} per CPU second ` +
    `(${(csv.cpu_seconds / split.cpu_seconds).toFixed(2)}× the split's CPU), which is why split is the default.`
  );
}

function render(r: {
  node: string;
  cpus: number;
  cpu_model: string;
  load_average_before: number[];
  load_average_after: number[];
  runs: Run[];
}): string {
  const rows = r.runs.map(
    (x) =>
      `| ${x.mode} | ${x.rows.toLocaleString('en-US')} | ${x.seconds} | ${x.rows_per_s.toLocaleString('en-US')} | ${x.cpu_seconds} | ${x.rows_per_cpu_s.toLocaleString('en-US')} | ${x.peak_rss_mb} | ${x.peak_heap_mb} | ${x.heap_used_end_mb} |`,
  );
  return [
    '# Import benchmark (bench/import.ts)',
    '',
    'Command: `npx tsx bench/import.ts` — an Azure-format CSV generated in a temp dir, each',
    'measurement in a fresh process after a 50,000-row warm-up import. `csv-parse` / `split`: `importTrace` end to end (stream,',
    "parse, build, validate, summary) with csv-parse's streaming parser or a hand-rolled split;",
    '`serialize`: plus the JSON bytes `hexplan import` writes; `reader`: the streaming parse alone,',
    'nothing retained. Target: ≥ 200,000 rows/s.',
    '',
    `Machine: ${r.cpus} × ${r.cpu_model}, Node ${r.node}; load average before ${r.load_average_before.join(' / ')}, after ${r.load_average_after.join(' / ')} (other work shares the machine).`,
    '',
    '| mode | rows | wall s | rows/s (wall) | CPU s | rows per CPU s | peak RSS MB | peak heap MB | heap at end MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    'Inside the import (split runs; CPU seconds, re-run on the result): ' +
      r.runs
        .filter((x) => x.phases_cpu_s)
        .map(
          (x) =>
            `${x.rows.toLocaleString('en-US')} rows: schema ${x.phases_cpu_s!.schema}, checkWorkload ${x.phases_cpu_s!.check_workload}, summary ${x.phases_cpu_s!.summary_figures}`,
        )
        .join('; ') +
      '.',
    '',
    verdict(r.runs),
    '',
    'Memory: the reader stays flat from 100k to 1M rows (raw rows are never held); an import',
    'grows with its output (one workflow object per row), which is in memory by design.',
    '',
  ].join('\n');
}

if (process.argv[2] === '--child') await child(process.argv[3] as Mode, process.argv[4]!, process.argv[5]!);
else await parent();
