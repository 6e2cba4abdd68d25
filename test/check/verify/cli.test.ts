import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cliOutput.ts';

const fixture = (f: string) => fileURLToPath(new URL(`../../fixtures/plans/${f}`, import.meta.url));
const scenarioArgs = ['-w', fixture('workload.json'), '-c', fixture('cluster.json')];

const run = runCli;

afterEach(() => {
  process.exitCode = undefined;
});

describe('hexplan verify', () => {
  it('passes a valid plan with exit 0 and prints the recomputed objectives', async () => {
    const r = await run(['verify', '--plan', fixture('valid.json'), ...scenarioArgs]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok — satisfies every exact-mode constraint');
    expect(r.out).toContain('required scale at q=0.95');
  });

  it('prints each violation and exits 1; --json carries ok=false and the list', async () => {
    const human = await run(['verify', '--plan', fixture('kv-overflow.json'), ...scenarioArgs]);
    expect(human.code).toBe(1);
    expect(human.out).toContain('✗ KV capacity exceeded on "d-a100-0"');
    const json = await run(['verify', '--json', '--plan', fixture('overlap.json'), ...scenarioArgs]);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out);
    expect(parsed.ok).toBe(false);
    expect(parsed.violations[0]).toContain('prefill overlap on "p-a100-0"');
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining([
        'ok',
        'violations',
        'objective_value',
        'required_scale',
        'makespan_s',
        'mean_scale',
        'weighted_tardiness_s',
      ]),
    );
  });

  it('unknown ids and a plan for another workload are clear errors with exit 1', async () => {
    const unknown = await run(['verify', '--plan', fixture('unknown-ids.json'), ...scenarioArgs]);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('unknown workflow "nope"');
    const other = await run(['verify', '--plan', fixture('other-workload.json'), ...scenarioArgs]);
    expect(other.code).toBe(1);
    expect(other.out).toContain('plan is for another workload');
    // The bundled default workload is another workload for these fixture plans.
    const wrongWorkload = await run(['verify', '--plan', fixture('valid.json')]);
    expect(wrongWorkload.code).toBe(1);
    expect(wrongWorkload.out).toContain('plan is for another workload');
  });

  it('a malformed plan file names the file and field, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-verify-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ schema: 'hexplan/plan@1', objective: 'quantile-scale', calls: [{ workflow: 'wA' }] }),
    );
    const r = await run(['verify', '--plan', bad, ...scenarioArgs]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${bad}: calls[0].call`);
    expect(r.err).not.toContain('    at ');
  });
});
