import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGrid } from '../../src/analysis/sweep/grid.ts';
import { cheapBounds } from '../../src/bounds/cheap.ts';
import { verifyPlan } from '../../src/check/verify/verifyPlan.ts';
import { HexplanError } from '../../src/errors.ts';
import { loadProvisionSetup } from '../../src/provision/offers.ts';
import { provision } from '../../src/provision/provision.ts';
import { loadPlan, loadWorkload, validateFile } from '../../src/scenario/documents.ts';
import { loadScenario } from '../../src/scenario/scenario.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { requiredScale } from '../../src/slo/quantile.ts';
import { importTrace } from '../../src/workload/import/importTrace.ts';
import { type Json, type Mutation, mutateJson, mutateLines, mutation } from './mutate.ts';
import { expectClean, FUZZ_RUNS, FUZZ_SEED, newTally, type Tally } from './outcome.ts';

const dir = mkdtempSync(join(tmpdir(), 'hexplan-fuzz-'));
const read = (f: string) => readFileSync(f, 'utf8');
const tallies = new Map<string, Tally>();

/** validate's report, as a throw, so the same property checks its problem lines. */
function validated(file: string): void {
  const r = validateFile(file);
  if (!r.ok) throw new HexplanError(r.problems.join('\n'), { problems: r.problems });
}

/** Every number a simulation reports is finite: a NaN or null scale is a lie, not a result. */
function expectHonestSim(result: ReturnType<typeof simulate>): void {
  for (const w of result.workflows) {
    expect(Number.isFinite(w.finish_s) && Number.isFinite(w.scale), `${w.workflow} finite`).toBe(true);
    expect(w.scale).toBeGreaterThanOrEqual(1 - 1e-5);
  }
}

function scenarioRuns(workloadFile: string, clusterFile: string): void {
  const s = loadScenario(workloadFile, clusterFile);
  const exact = simulate(s, 'hexagent');
  expectHonestSim(exact);
  expectHonestSim(simulate(s, 'edf', { mode: 'realistic' }));
  // A wrong proof: a lower bound above a schedule the exact simulator just ran.
  const scheduled = requiredScale(exact.scales, 0.95);
  for (const b of cheapBounds(s, 'quantile-scale', 0.95)) {
    expect(Number.isFinite(b.value), `bound ${b.source} finite`).toBe(true);
    expect(b.value, `bound ${b.source} ≤ hexagent's ${scheduled}`).toBeLessThanOrEqual(
      scheduled * (1 + 1e-9) + 1e-9,
    );
  }
}

interface Format {
  name: string;
  base: string;
  /** Writes the mutated case and returns the files that messages may name, and the run. */
  make(text: string, n: number): { files: string[]; run: () => unknown };
  mutate?: (text: string, m: Mutation) => string;
}

const VALID = 'test/fixtures/valid';
const PLANS = 'test/fixtures/plans';
const at = (n: number, name: string) => join(dir, `${n}-${name}`);

const formats: Format[] = [
  {
    name: 'workload',
    base: read(`${VALID}/workload.json`),
    make: (text, n) => {
      const w = at(n, 'w.json');
      writeFileSync(w, text);
      return {
        files: [w, `${VALID}/cluster.json`],
        run: () => {
          validated(w);
          scenarioRuns(w, `${VALID}/cluster.json`);
        },
      };
    },
  },
  {
    name: 'cluster',
    base: read(`${VALID}/cluster.json`),
    make: (text, n) => {
      const c = at(n, 'c.json');
      writeFileSync(c, text);
      return {
        files: [c, `${VALID}/workload.json`],
        run: () => {
          validated(c);
          scenarioRuns(`${VALID}/workload.json`, c);
        },
      };
    },
  },
  {
    name: 'profiles',
    base: read(`${VALID}/profiles.json`),
    make: (text, n) => {
      const p = at(n, 'p.json');
      const c = at(n, 'pc.json');
      writeFileSync(p, text);
      const cluster = JSON.parse(read(`${VALID}/cluster.json`)) as Record<string, Json>;
      writeFileSync(c, JSON.stringify({ ...cluster, profiles: `${n}-p.json` }));
      return {
        files: [p, c, `${VALID}/workload.json`],
        run: () => {
          validated(p);
          scenarioRuns(`${VALID}/workload.json`, c);
        },
      };
    },
  },
  {
    name: 'plan',
    base: read(`${PLANS}/valid.json`),
    make: (text, n) => {
      const p = at(n, 'plan.json');
      writeFileSync(p, text);
      return {
        files: [p, `${PLANS}/workload.json`, `${PLANS}/cluster.json`],
        run: () => {
          validated(p);
          const s = loadScenario(`${PLANS}/workload.json`, `${PLANS}/cluster.json`);
          const plan = loadPlan(p);
          const v = verifyPlan(s, plan, { planFile: p });
          for (const line of v.violations) expect(line).not.toMatch(/\n/);
          expectHonestSim(simulate(s, 'replay', { plan, planFile: p }));
        },
      };
    },
  },
  {
    name: 'grid',
    base: JSON.stringify({
      schema: 'hexplan/grid@1',
      workloads: ['w.json'],
      clusters: ['c.json'],
      policies: ['hexagent', 'fcfs'],
      modes: ['exact', 'realistic'],
      rate_multipliers: [0.5, 1, 2],
    }),
    make: (text, n) => {
      const sub = mkdtempSync(join(dir, `g${n}-`));
      copyFileSync(`${VALID}/workload.json`, join(sub, 'w.json'));
      copyFileSync(`${VALID}/cluster.json`, join(sub, 'c.json'));
      const g = join(sub, 'grid.json');
      writeFileSync(g, text);
      return {
        files: [g, join(sub, 'w.json'), join(sub, 'c.json')],
        run: () => {
          validated(g);
          const grid = loadGrid(g);
          // A sweep run on every rate multiplier, the way a sweep job runs one combo.
          const path = grid.workloads[0]!.path;
          // The valid grid names a file; a generated workload is not what this fuzzes.
          if (path === null) return;
          for (const m of grid.grid.rate_multipliers) {
            const wl = loadWorkload(path);
            const scaled = {
              ...wl,
              workflows: wl.workflows.map((f) => ({ ...f, arrival_s: f.arrival_s / m })),
            };
            writeFileSync(join(sub, 'scaled.json'), JSON.stringify(scaled));
            scenarioRuns(join(sub, 'scaled.json'), grid.clusters[0]!.path);
          }
        },
      };
    },
  },
  {
    name: 'provision-catalog',
    base: read('models/catalog-provision.json'),
    make: (text, n) => {
      const c = at(n, 'cat.json');
      writeFileSync(c, text);
      return {
        files: [c, `${VALID}/workload.json`],
        run: async () => {
          validated(c);
          const setup = loadProvisionSetup(c);
          await provision(loadWorkload(`${VALID}/workload.json`), {
            setup,
            quantile: 0.9,
            scale: 3,
            baselines: false,
            mode: 'exact',
            maxIterations: 3,
            timeLimitS: 2,
          });
        },
      };
    },
  },
  ...(
    [
      ['azure', 'test/fixtures/import/azure-small.csv', 'csv'],
      ['mooncake', 'test/fixtures/import/mooncake-small.jsonl', 'jsonl'],
      ['otel', 'test/fixtures/import/otel-agent.jsonl', 'jsonl'],
      ['otel', 'test/fixtures/import/otel-agent.json', 'json'],
    ] as const
  ).map(
    ([format, file, ext]): Format => ({
      name: `${format}-${ext}`,
      base: read(file),
      mutate:
        ext === 'json'
          ? mutateJson
          : (text, m) =>
              mutateLines(text, m, (line, mm) =>
                ext === 'jsonl' && line.trim() !== ''
                  ? mutateJson(line, mm).replace(/\n/g, ' ')
                  : mutateCsvLine(line, mm),
              ),
      make: (text, n) => {
        const t = at(n, `trace.${ext}`);
        writeFileSync(t, text);
        return {
          files: [t],
          run: async () => {
            // Half the cases strict: a bad row is then an error naming its line, not a skip.
            const r = await importTrace(t, { format, strict: n % 2 === 1 });
            for (const wf of r.workload.workflows) expect(Number.isFinite(wf.arrival_s)).toBe(true);
          },
        };
      },
    }),
  ),
];

const CSV_FIELDS = [
  '',
  '-1',
  '0',
  'abc',
  '1e308',
  '5e-324',
  '9007199254740991',
  '2023-13-45 99:99:99',
  '"q"',
];
function mutateCsvLine(line: string, m: Mutation): string {
  const cells = line.split(',');
  if (m.kind === 'truncate') return line.slice(0, m.b % (line.length + 1));
  if (m.kind === 'delete') return cells.slice(0, -1).join(',');
  cells[m.b % cells.length] = CSV_FIELDS[m.a % CSV_FIELDS.length]!;
  return cells.join(',');
}

describe('fuzz: every input format ends in a result or a one-line FILE: path: message', () => {
  let n = 0;
  for (const format of formats) {
    const runs = FUZZ_RUNS;
    it(`${format.name} (${runs} cases)`, async () => {
      const tally = newTally();
      tallies.set(format.name, tally);
      await fc.assert(
        fc.asyncProperty(mutation, async (m) => {
          const text = (format.mutate ?? mutateJson)(format.base, m);
          const { files, run } = format.make(text, n++);
          await expectClean(files, tally, run);
        }),
        { numRuns: runs, seed: FUZZ_SEED },
      );
      // Not vacuous: some cases are refused and some pass.
      expect(tally.refused).toBeGreaterThan(0);
      expect(tally.ok).toBeGreaterThan(0);
    });
  }
});

afterAll(() => {
  if (!process.env.HEXPLAN_FUZZ_REPORT) return;
  const out: Record<string, unknown> = {};
  for (const [name, t] of tallies)
    out[name] = {
      ok: t.ok,
      refused: t.refused,
      messages: Object.fromEntries([...t.messages].sort((a, b) => b[1] - a[1])),
    };
  writeFileSync(process.env.HEXPLAN_FUZZ_REPORT, `${JSON.stringify(out, null, 2)}\n`);
});
