import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/scenario/documents.ts';

const DIR = 'test/fixtures/bad';

/** Every bad fixture and a substring its report must contain (JSON path included). */
const EXPECTED: Record<string, string> = {
  'truncated.json': '(root): malformed JSON at line 21',
  'empty.json': '(root): empty file',
  'trailing-comma.json': '(root): malformed JSON at line 1, column 50',
  'not-an-object.json': 'schema: missing "schema" field',
  'missing-schema.json': 'schema: missing "schema" field (one of: hexplan/workload@1',
  'unknown-schema.json': 'schema: unknown schema "hexplan/workload@9"',
  'wl-string-tokens.json':
    'workflows[0].calls[0].input_tokens: Invalid input: expected number, received string',
  'wl-negative-tokens.json': 'workflows[0].calls[1].output_tokens: Too small: expected number to be >0',
  'wl-fractional-tokens.json': 'workflows[0].calls[2].input_tokens: Invalid input: expected int',
  'wl-missing-arrival.json': 'workflows[1].arrival_s: Invalid input: expected number, received undefined',
  'wl-negative-arrival.json': 'workflows[1].arrival_s: Too small: expected number to be >=0',
  'wl-negative-tool.json': 'workflows[0].calls[1].tool_s: Too small: expected number to be >=0',
  'wl-deps-not-array.json': 'workflows[0].calls[1].deps: Invalid input: expected array, received string',
  'wl-cycle.json': 'workflows[0].calls: dependency cycle a → c → b → a',
  'wl-dangling-dep.json': 'workflows[0].calls[2].deps[1]: unknown call "nope" in workflow "w1"',
  'wl-self-dep.json': 'workflows[0].calls[0].deps[0]: call "a" depends on itself',
  'wl-empty.json': 'workflows: a workload needs at least one workflow',
  'wl-empty-calls.json': 'workflows[1].calls: a workflow needs at least one call',
  'wl-duplicate-workflow-ids.json': 'workflows[1].id: duplicate workflow id "w1" (also workflows[0])',
  'wl-duplicate-call-ids.json': 'workflows[0].calls[2].id: duplicate call id "a" (also calls[0])',
  'wl-unknown-key.json': 'workflows[0].calls[0]: Unrecognized key: "input"',
  'wl-unknown-model.json': 'workflows[0].model: unknown model "GPT-5" (known: Llama-3.1-8B',
  'wl-missing-model.json': 'workflows[0].model: Invalid input: expected string, received undefined',
  'wl-zero-deadline.json': 'workflows[0].deadline_s: Too small: expected number to be >0',
  'wl-workflows-object.json': 'workflows: Invalid input: expected array, received object',
  'cl-unknown-gpu.json': 'instances[0].gpu: unknown GPU "B200" (known: A100-SXM4-80GB',
  'cl-unknown-model.json': 'instances[0].model: unknown model "GPT-5"',
  'cl-model-too-large.json':
    'instances[0]: model Llama-3.1-70B needs 143.3 GB of weights and workspace but 1× A100-SXM4-80GB has 77.3 GB usable',
  'cl-duplicate-instance-ids.json': 'instances[1].id: duplicate instance id "p0" (also instances[0])',
  'cl-no-decode.json': 'instances: model Qwen2.5-32B has no decode-capable instance',
  'cl-bad-role.json': 'instances[0].role: Invalid option: expected one of "prefill"|"decode"|"mixed"',
  'cl-mem-util-too-big.json': 'mem_util: Too big: expected number to be <=1',
  'cl-tp-zero.json': 'instances[1].tp: Too small: expected number to be >0',
  'cl-override-unknown.json': 'links.overrides[0].to: unknown instance "zz"',
  'cl-empty.json': 'instances: a cluster needs at least one instance',
  'pr-negative-coefficient.json': 'profiles[0].decode.d1_ms_per_seq: Too small: expected number to be >=0',
  'pr-bad-method.json':
    'profiles[0].provenance.method: Invalid option: expected one of "roofline"|"fitted"|"measured"',
  'pr-empty.json': 'profiles: Too small: expected array to have >=1 items',
};

describe('validate on malformed files', () => {
  it('has an expectation for every fixture in test/fixtures/bad (and a fixture for every expectation)', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('reports duplicate call ids without inventing a dependency cycle', () => {
    const report = validateFile(join(DIR, 'wl-duplicate-call-ids.json'));
    expect(report.problems.join('\n')).not.toMatch(/cycle/);
  });

  it.each(Object.entries(EXPECTED))('%s → "%s"', (name, expected) => {
    const file = join(DIR, name);
    const report = validateFile(file);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain(`${file}: ${expected}`);
    // Every line is FILE: path: message.
    for (const p of report.problems) expect(p.startsWith(`${file}: `)).toBe(true);
  });

  it('reports a missing file without throwing', () => {
    const r = validateFile(join(DIR, 'no-such-file.json'));
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toContain('no such file');
  });

  it('exits 1 from the CLI with the messages and no stack trace', () => {
    const files = ['truncated.json', 'wl-cycle.json', 'cl-model-too-large.json', 'unknown-schema.json'].map(
      (f) => join(DIR, f),
    );
    const r = spawnSync(process.execPath, ['bin/hexplan.js', 'validate', ...files], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    // Problems are errors: on stderr, nothing on stdout (issue 18, item 13).
    expect(r.stdout).toBe('');
    for (const f of files) expect(r.stderr).toContain(`${f}: ${EXPECTED[f.slice(DIR.length + 1)]}`);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(/);
  });
});
