import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { Comparison } from '../../src/analysis/compare.ts';
import type { GapReport } from '../../src/analysis/gap.ts';
import type { interruptedGapResult } from '../../src/analysis/gapIncumbent.ts';
import type { Headline } from '../../src/analysis/headline.ts';
import type { RealisticGapReport } from '../../src/analysis/realisticGap.ts';
import type { SweepSummary } from '../../src/analysis/sweep/sweep.ts';
import type { RealisticSolve } from '../../src/bounds/realisticBound.ts';
import type { verifyJson } from '../../src/check/verify/report.ts';
import type { FitQuality } from '../../src/profile/fit.ts';
import type { profileReport } from '../../src/profile/profileReport.ts';
import type { ProvisionReport } from '../../src/provision/provision.ts';
import type { ReportSummary } from '../../src/report/report.ts';
import type { ValidationReport } from '../../src/scenario/documents.ts';
import { FILE_FORMATS, fileFormat } from '../../src/schema/formats.ts';
import type { CompareResult } from '../../src/schema/results/compare.ts';
import type {
  ExactGapResult,
  InterruptedGapResult,
  RealisticGapResult,
  RealisticSolve as RealisticSolveSchema,
} from '../../src/schema/results/gap.ts';
import type { HeadlineResult } from '../../src/schema/results/headline.ts';
import type { ImportSummary as ImportSummarySchema } from '../../src/schema/results/import.ts';
import type { FitQuality as FitQualitySchema, ProfileResult } from '../../src/schema/results/profile.ts';
import type { FinishedProvisionResult } from '../../src/schema/results/provision.ts';
import type { ReportResult } from '../../src/schema/results/report.ts';
import type { SimMetrics as SimMetricsSchema } from '../../src/schema/results/simulate.ts';
import type { FinishedSweepResult } from '../../src/schema/results/sweep.ts';
import type { ValidateResult } from '../../src/schema/results/validate.ts';
import type { VerifyResult } from '../../src/schema/results/verify.ts';
import type { SimMetrics } from '../../src/sim/types.ts';
import type { ImportSummary } from '../../src/workload/import/summary.ts';
import { runCli } from '../helpers/cliOutput.ts';

/**
 * The output contract: every command's `--json` result, run on the smallest bundled inputs,
 * parses with the schema registered under its `schema` tag — no unlisted key, none missing,
 * every type as listed.
 */

const dir = mkdtempSync(join(tmpdir(), 'hexplan-results-'));
const W = 'instances/workloads/tiny.json';
const C = 'instances/clusters/hetero-4.json';
const scenario = ['-w', W, '-c', C];

/** Result names emitted in src/cli/ (ctx.emit('NAME', …) or withSchema('NAME', …)). */
function emittedNames(): Set<string> {
  const names = new Set<string>();
  for (const f of readdirSync('src/cli').filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join('src/cli', f), 'utf8');
    for (const m of text.matchAll(/(?:ctx\.emit|withSchema)\(\s*'([a-z0-9-]+)'/g)) names.add(m[1]!);
  }
  return names;
}

const checked = new Set<string>();

/** Runs one command with --json and checks its stdout against the schema its tag names. */
async function result(args: string[], expectedCode = 0, open = false): Promise<Record<string, unknown>> {
  const run = await runCli([...args, '--json', '--quiet']);
  expect(run.code, run.err).toBe(expectedCode);
  const value = JSON.parse(run.out) as Record<string, unknown>;
  const name = String(value.schema).match(/^hexplan\/(.+)@1$/)?.[1];
  const format = name === undefined ? undefined : fileFormat(name);
  expect(format?.direction, `schema ${String(value.schema)} is registered as an output`).toBe('output');
  const parsed = format!.schema.safeParse(value);
  expect(parsed.success, parsed.success ? '' : `${args[0]}: ${z.prettifyError(parsed.error)}`).toBe(true);
  // Strict: a key the contract does not list is refused (but by the open formats `report` reads back).
  expect(format!.schema.safeParse({ ...value, not_in_the_contract: 1 }).success).toBe(open);
  expect(camelCaseKeys(value), `${args[0]}: keys are snake_case`).toEqual([]);
  checked.add(name!);
  return value;
}

/** Keys like `solveS` or `setAside` anywhere in a value (GPU and model names start uppercase). */
function camelCaseKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => camelCaseKeys(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(/^[a-z][a-z0-9]*[A-Z]/.test(k) ? [`${path}.${k}`] : []),
    ...camelCaseKeys(v, `${path}.${k}`),
  ]);
}

describe('every --json result parses with its registered schema', () => {
  afterAll(() => {
    // Runs last: every name the CLI emits was exercised above.
    expect([...checked].sort()).toEqual([...emittedNames()].sort());
  });

  it('validate, gen, import', async () => {
    await result(['validate', W, C]);
    await result(['validate', 'test/fixtures/bad/wl-cycle.json'], 1);
    await result([
      'gen',
      '--family',
      'chat',
      '-n',
      '3',
      '-o',
      join(dir, 'gen.json'),
      '--load',
      '0.7',
      '-c',
      C,
    ]);
    await result(['gen', '--family', 'react', '-n', '2', '-o', join(dir, 'gen2.json')]);
    await result([
      'import',
      '--format',
      'azure',
      'test/fixtures/import/azure-small.csv',
      '-o',
      join(dir, 'import.json'),
    ]);
  });

  it('fit-profile, profile, calibration', async () => {
    await result([
      ...['fit-profile', '--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B'],
      ...['--prefill-csv', 'test/fixtures/profile/h100-qwen32b-prefill.csv'],
      ...['--decode-csv', 'test/fixtures/profile/h100-qwen32b-decode.csv', '-o', join(dir, 'profiles.json')],
    ]);
    await result([
      ...['profile', '--gpu', 'H100-SXM5-80GB', '--model', 'Qwen2.5-32B'],
      ...['--prefill', '512', '--decode', '1:4096'],
    ]);
    await result(['calibration']);
  });

  it('simulate, compare', async () => {
    await result(['simulate', ...scenario, '--trace', join(dir, 'trace.jsonl')]);
    await result(['simulate', ...scenario, '--mode', 'realistic', '--policy', 'fcfs']);
    await result(['compare', ...scenario, '--policies', 'hexagent,fcfs,edf']);
    await result(['compare', ...scenario, '--policies', 'fcfs,edf']);
  });

  it('plan, verify, export-lp', async () => {
    const plan = join(dir, 'plan.json');
    await result(['plan', ...scenario, '--time-limit', '10', '-o', plan]);
    await result(['plan', ...scenario, '--time-limit', '10', '--formulation', 'time-indexed']);
    await result(['verify', ...scenario, '--plan', plan]);
    await result(['verify', '-w', W, '-c', 'instances/clusters/hetero-6.json', '--plan', plan], 1);
    await result(['export-lp', ...scenario, '-o', join(dir, 'model.lp')]);
    await result(['export-lp', ...scenario, '--formulation', 'time-indexed', '-o', join(dir, 'model.mps')]);
  });

  it('gap, exact and realistic', async () => {
    const gap = await result(['gap', ...scenario, '--mode', 'exact', '--time-limit', '5']);
    expect(gap.mode).toBe('exact');
    expect((await result(['gap', ...scenario, '--time-limit', '5'])).mode).toBe('realistic');
  });

  it('provision', async () => {
    const fast = ['-w', W, '--scale', '2', '--no-baselines', '--local-search', '3', '--no-floor'];
    await result(['provision', ...fast]);
    await result(['provision', ...fast, '--sweep-rates', '1,2'], 0, true);
    await result([
      'provision',
      '-w',
      W,
      '--scale',
      '2',
      '--local-search',
      '3',
      '--homogeneous-simulations',
      '3',
    ]);
  });

  it('sweep, report, headline, schema', async () => {
    const results = join(dir, 'sweep.jsonl');
    const sweep = await result(['sweep', '--grid', 'test/fixtures/sweep/grid.json', '-o', results]);
    expect(sweep.output).toBe(results);
    await result([
      'sweep',
      '--grid',
      'test/fixtures/sweep/grid.json',
      '-o',
      results,
      '--csv',
      join(dir, 's.csv'),
    ]);
    const report = await result(['report', '--results', results, '-o', join(dir, 'report')]);
    expect(report.output).toBe(join(dir, 'report'));
    const grid = join(dir, 'headline-grid.json');
    writeFileSync(
      grid,
      JSON.stringify({
        schema: 'hexplan/headline-grid@1',
        families: ['chat'],
        clusters: [resolve(C)],
        loads: [0.9],
        modes: ['exact'],
        workflows_per_instance: 3,
        seed: 3,
        baselines: ['edf', 'fcfs'],
      }),
    );
    await result(['headline', '--grid', grid]);
    await result(['schema']);
  });
});

describe('the registry', () => {
  it('names a schema for every result the CLI emits', () => {
    const registered = new Set(FILE_FORMATS.filter((f) => f.direction === 'output').map((f) => f.name));
    const names = emittedNames();
    expect(names.size).toBeGreaterThan(15);
    for (const n of names) expect(registered, n).toContain(n);
  });
});

/**
 * Compile-time (tsc --noEmit): each library type a command prints is assignable to its schema's
 * output, with the same top-level keys, so a field added on one side and not the other fails
 * the type check before it fails the run above.
 */
type Body<S extends z.ZodType> = Omit<z.output<S>, 'schema'>;
type Agrees<I, S> = [I] extends [S]
  ? [Exclude<keyof S, keyof I>, Exclude<keyof I, keyof S>] extends [never, never]
    ? true
    : { missing: Exclude<keyof S, keyof I>; unlisted: Exclude<keyof I, keyof S> }
  : { notAssignable: I };
type Where = { workload: string; cluster: string };

describe('library types', () => {
  it('agree with the schemas of the results they fill (checked by tsc --noEmit)', () => {
    expectTypeOf<Agrees<GapReport & Where, Body<typeof ExactGapResult>>>().toEqualTypeOf<true>();
    expectTypeOf<Agrees<RealisticGapReport & Where, Body<typeof RealisticGapResult>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<ReturnType<typeof interruptedGapResult> & Where, Body<typeof InterruptedGapResult>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Agrees<RealisticSolve, z.output<typeof RealisticSolveSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<Agrees<SimMetrics, z.output<typeof SimMetricsSchema>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<Omit<Comparison, 'policies'>, Omit<Body<typeof CompareResult>, 'policies'>>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<ProvisionReport & { interrupted: false }, Body<typeof FinishedProvisionResult>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Agrees<ImportSummary, z.output<typeof ImportSummarySchema>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<ValidationReport, z.output<typeof ValidateResult>['files'][number]>
    >().toEqualTypeOf<true>();
    expectTypeOf<Agrees<ReturnType<typeof verifyJson>, Body<typeof VerifyResult>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<ReturnType<typeof profileReport>, Body<typeof ProfileResult>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Agrees<FitQuality, z.output<typeof FitQualitySchema>>>().toEqualTypeOf<true>();
    expectTypeOf<Agrees<ReportSummary, Body<typeof ReportResult>>>().toEqualTypeOf<true>();
    expectTypeOf<
      Agrees<SweepSummary & { interrupted: false }, Omit<Body<typeof FinishedSweepResult>, 'csv'>>
    >().toEqualTypeOf<true>();
    expectTypeOf<Agrees<Headline, Body<typeof HeadlineResult>>>().toEqualTypeOf<true>();
  });
});
