import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPlan } from '../../src/check/verify/verifyPlan.ts';
import { HexplanError } from '../../src/errors.ts';
import { writeFileAtomic } from '../../src/io/files.ts';
import { buildPlacementModel } from '../../src/placement/build.ts';
import { scaleLoad } from '../../src/provision/classes.ts';
import { loadProvisionSetup } from '../../src/provision/offers.ts';
import { loadPlan, loadWorkload, validateFile } from '../../src/scenario/documents.ts';
import { loadScenario, makeScenario } from '../../src/scenario/scenario.ts';
import type { Workload } from '../../src/schema/workload.ts';
import { simulate } from '../../src/sim/simulate.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';
import { importTrace } from '../../src/workload/import/importTrace.ts';
import { json, scratch, VALID } from './files.ts';

// One test per failure the fuzz campaign of issue 18 found; each fails on the code before it.
const { dir, put } = scratch('hexplan-18-');
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof HexplanError) return err.problems;
    throw err;
  }
  throw new Error('expected a HexplanError');
};
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['bin/hexplan.js', ...args], { encoding: 'utf8', input });

describe('issue 18: bad input never crashes, hangs or lies', () => {
  it('1. a schema tag nested 6,000 deep is reported, not serialized (stack overflow)', () => {
    const f = put('deep.json', `{"schema": ${'['.repeat(6000)}1${']'.repeat(6000)}}`);
    const r = validateFile(f);
    expect(r.problems).toEqual([expect.stringMatching(/: schema: unknown schema \(an array\)/)]);
  });

  it('2. decode slots past 65,536 are refused with the limit', () => {
    const c = { ...json(`${VALID}/cluster.json`), default_decode_slots: 9007199254740991 };
    const f = put('slots.json', c);
    expect(validateFile(f).problems).toEqual([
      `${f}: default_decode_slots: 9007199254740991 is above the limit 65536`,
    ]);
  });

  it('3. a subnormal bandwidth or an overflowing profile coefficient is refused', () => {
    const c = json(`${VALID}/cluster.json`);
    const f = put('bw.json', { ...c, links: { inter_node_gbytes_per_s: 5e-324 } });
    expect(validateFile(f).problems[0]).toBe(
      `${f}: links.inter_node_gbytes_per_s: 5e-324 is below the limit 0.001`,
    );
    const p = json(`${VALID}/profiles.json`);
    p.profiles[0].decode.d1_ms_per_seq = 1e308;
    const pf = put('prof.json', p);
    expect(validateFile(pf).problems[0]).toBe(
      `${pf}: profiles[0].decode.d1_ms_per_seq: 1e+308 is above the limit 1000`,
    );
  });

  it('4. a tiny rate multiplier is refused (grid and provisioning), and the pair search always chooses', () => {
    const g = put('grid.json', {
      schema: 'hexplan/grid@1',
      workloads: ['w'],
      clusters: ['c'],
      policies: ['edf'],
      rate_multipliers: [5e-324],
    });
    expect(validateFile(g).problems[0]).toBe(`${g}: rate_multipliers[0]: 5e-324 is below the limit 0.001`);
    expect(() => scaleLoad(loadWorkload(`${VALID}/workload.json`), 1e-300)).toThrow(
      /rateMultiplier 1e-300 is outside the limits/,
    );
    // Past the schema, on values built in memory: every projection infinite still places the call.
    const s = loadScenario(`${VALID}/workload.json`, `${VALID}/cluster.json`);
    const far: Workload = {
      ...s.workload,
      workflows: s.workload.workflows.map((w) => ({ ...w, arrival_s: 1e308 })),
    };
    const r = simulate(makeScenario(far, s.cluster), 'hexagent');
    expect(r.workflows.length).toBe(s.workload.workflows.length);
  });

  it('5. imported arrivals past the limit stop the import with a note (no importer bug)', async () => {
    const csv = put(
      'a.csv',
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n2023-11-16 18:15:50.99,100,109\n',
    );
    const a = await importTrace(csv, { format: 'azure', timeScale: 1e300 });
    expect(a.workload.workflows.length).toBe(1);
    expect(a.summary.stopped?.reason).toMatch(/arrival_s past the limit 10000000 s/);
    const m = put(
      'm.jsonl',
      '{"timestamp": 0, "input_length": 10, "output_length": 5, "hash_ids": [1]}\n{"timestamp": 1e308, "input_length": 10, "output_length": 5, "hash_ids": [2]}\n',
    );
    const b = await importTrace(m, { format: 'mooncake' });
    expect(b.workload.workflows.map((w) => w.arrival_s)).toEqual([0]);
  });

  it('6. an arrival at 1e20 s is refused: it would wreck the resolution every bound needs', () => {
    const w = json('instances/workloads/tiny.json');
    w.workflows[0].arrival_s = 1e20;
    const f = put('far.json', w);
    expect(validateFile(f).problems).toEqual([
      `${f}: workflows[0].arrival_s: 100000000000000000000 is above the limit 10000000`,
    ]);
  });

  it('7. gen with a rate that overflows arrivals is refused, nothing written', () => {
    const out = join(dir, 'gen.json');
    expect(() => generateWorkload({ family: 'chat', workflows: 2, seed: 1, ratePerS: 1e-320 })).toThrow(
      /ratePerS gives 1e-320 workflows\/s, which puts the last of 2 arrivals at Infinity s/,
    );
    const r = cli(['gen', '--family', 'chat', '--workflows', '2', '--rate', '1e-320', '-o', out]);
    expect(r.status).not.toBe(0);
    expect(existsSync(out)).toBe(false);
  });

  it('9. a provisioning catalog with a free GPU is refused at load', () => {
    const c = json('models/catalog-provision.json');
    c.gpus = c.gpus.map((g: object) => ({ ...g, price_per_hour: 0 }));
    const f = put('free.json', c);
    expect(problemsOf(() => loadProvisionSetup(f))[0]).toMatch(
      new RegExp(`^${f}: gpus\\[0\\]\\.price_per_hour: 0: a GPU that costs nothing`),
    );
  });

  it('10. a device that never ends is read up to the document limit, then refused', () => {
    expect(validateFile('/dev/zero').problems).toEqual([
      '/dev/zero: (file): larger than the limit of 268435456 bytes for a document',
    ]);
  });

  it('10. an OTel trace nested deeper than 1,000 spans is left out with a note', async () => {
    const span = (i: number, trace: string, parent?: string) =>
      JSON.stringify({
        traceId: trace,
        spanId: `s${i}`,
        ...(parent ? { parentSpanId: parent } : {}),
        name: 'chat',
        startTimeUnixNano: String(1700000000000000000n + BigInt(i) * 1000n),
        endTimeUnixNano: String(1700000000000000000n + BigInt(3000 - i) * 1000n),
        attributes: [
          { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
          { key: 'gen_ai.usage.prompt_tokens', value: { intValue: 64 } },
          { key: 'gen_ai.usage.completion_tokens', value: { intValue: 8 } },
        ],
      });
    const deep = Array.from({ length: 1500 }, (_, i) =>
      span(i, 'a'.repeat(32), i > 0 ? `s${i - 1}` : undefined),
    );
    const f = put('deep.jsonl', `${[...deep, span(0, 'b'.repeat(32))].join('\n')}\n`);
    const r = await importTrace(f, { format: 'otel' });
    expect(r.workload.workflows.length).toBe(1);
    expect(r.summary.notes).toContain('left out 1 trace(s) nested deeper than 1000 spans');
  });

  it('11. verify rejects a plan whose reported lower bound exceeds its own objective', () => {
    const s = loadScenario('test/fixtures/plans/workload.json', 'test/fixtures/plans/cluster.json');
    const plan = loadPlan('test/fixtures/plans/valid.json');
    const lying = {
      ...plan,
      reported: { status: 'optimal', objective: null, lower_bound: 999, solver: 'x' },
    };
    const v = verifyPlan(s, lying);
    expect(v.ok).toBe(false);
    expect(v.violations.join('\n')).toMatch(/reported\.lower_bound: 999 exceeds the plan's own/);
  });

  it('12. replay errors name the plan file; ids with a newline stay on one line', () => {
    const s = loadScenario('test/fixtures/plans/workload.json', 'test/fixtures/plans/cluster.json');
    const plan = loadPlan('test/fixtures/plans/valid.json');
    const f = 'my-plan.json';
    const problems = problemsOf(() =>
      simulate(s, 'replay', { plan: { ...plan, calls: plan.calls.slice(1) }, planFile: f }),
    );
    expect(problems[0]).toMatch(/^my-plan\.json: calls: /);
    const w = json(`${VALID}/workload.json`);
    w.workflows[0].calls[1].deps = ['no\nsuch'];
    const wf = put('nl.json', w);
    for (const p of validateFile(wf).problems) expect(p).not.toMatch(/\n/);
  });

  it('13. validate knows grids and provisioning catalogs; EPIPE ends quietly; stray temporaries are removed', () => {
    expect(validateFile('test/fixtures/sweep/grid.json').ok).toBe(true);
    expect(validateFile('models/catalog-provision.json').ok).toBe(true);
    const piped = spawnSync(
      'bash',
      [
        '-c',
        'node bin/hexplan.js simulate -w instances/workloads/medium.json --json | head -c 10 >/dev/null',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(piped.stderr).not.toMatch(/EPIPE|\n\s+at /);
    const out = join(dir, 'out.json');
    // A temporary left by a process that is gone (pid 2^22 - 1 is above Linux's default pid_max).
    writeFileSync(join(dir, '.out.json.4194303.abcdef012345.tmp'), 'half');
    writeFileAtomic(out, 'x');
    expect(readdirSync(dir).filter((n) => n.startsWith('.out.json.'))).toEqual([]);
  });

  it('14. export-lp refuses a workload past the model limit before preparing anything', () => {
    const calls = Array.from({ length: 10_000 }, (_, i) => ({
      id: `c${i}`,
      input_tokens: 10,
      output_tokens: 2,
      deps: i > 0 ? [`c${i - 1}`] : [],
    }));
    const w = {
      schema: 'hexplan/workload@1',
      workflows: [{ id: 'w', arrival_s: 0, model: 'Qwen2.5-32B', calls }],
    };
    const s = loadScenario(put('chain.json', w), `${VALID}/cluster.json`);
    const problems = problemsOf(() => buildPlacementModel(s, { objective: 'quantile-scale' }));
    expect(problems[0]).toMatch(
      /: workflows: 10000 calls is beyond the placement model's reach \(at most 600\)/,
    );
  });
});
