import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutateJson, mutateLines, mutation } from './mutate.ts';
import { FUZZ_RUNS, FUZZ_SEED } from './outcome.ts';

/**
 * The failure kinds only a real process shows: a stack trace on stderr, an exit code outside
 * 0/1/2, an output file written (or a temporary left) by a run that failed, and a run past its
 * time bound. Mutated inputs go through the compiled CLI of commands that write a file.
 */
const dir = mkdtempSync(join(tmpdir(), 'hexplan-clifuzz-'));
const VALID = 'test/fixtures/valid';
const read = (f: string) => readFileSync(f, 'utf8');
/** Spawning is ~2 s a case under load: a hundredth of the in-process count (2 in `npm test`, 20 in `npm run fuzz`). */
const RUNS = Math.max(2, Math.ceil(FUZZ_RUNS / 100));
const PROCESS_BUDGET_MS = 60_000;

interface CliCase {
  name: string;
  base: string;
  mutate: (text: string, m: Parameters<typeof mutateJson>[1]) => string;
  /** The command line for an input file and an output file. */
  args: (input: string, output: string) => string[];
}

const cases: CliCase[] = [
  {
    name: 'plan -o (workload)',
    base: read(`${VALID}/workload.json`),
    mutate: mutateJson,
    args: (i, o) => ['plan', '-w', i, '-c', `${VALID}/cluster.json`, '--time-limit', '3', '-o', o],
  },
  {
    name: 'simulate --trace (cluster)',
    base: read(`${VALID}/cluster.json`),
    mutate: mutateJson,
    args: (i, o) => ['simulate', '-w', `${VALID}/workload.json`, '-c', i, '--trace', o],
  },
  {
    name: 'import -o (mooncake)',
    base: read('test/fixtures/import/mooncake-small.jsonl'),
    mutate: (text, m) =>
      mutateLines(text, m, (line, mm) =>
        line.trim() === '' ? line : mutateJson(line, mm).replace(/\n/g, ' '),
      ),
    args: (i, o) => ['import', '--format', 'mooncake', '--strict', i, '-o', o],
  },
];

describe('fuzz: the compiled CLI never leaves a stack trace, a half-written output or a hang', () => {
  let n = 0;
  for (const c of cases) {
    it(
      `${c.name} (${RUNS} cases)`,
      () => {
        const seen = { ok: 0, refused: 0 };
        fc.assert(
          fc.property(mutation, (m) => {
            const sub = mkdtempSync(join(dir, `${n++}-`));
            const input = join(sub, 'in');
            const output = join(sub, 'out');
            writeFileSync(input, c.mutate(c.base, m));
            const t0 = performance.now();
            const r = spawnSync(process.execPath, ['bin/hexplan.js', ...c.args(input, output), '--quiet'], {
              encoding: 'utf8',
              timeout: PROCESS_BUDGET_MS,
            });
            expect(performance.now() - t0, 'time bound').toBeLessThan(PROCESS_BUDGET_MS);
            expect([0, 1, 2], `exit code (stderr: ${r.stderr})`).toContain(r.status);
            expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at |^\w*Error\b/m);
            const left = readdirSync(sub).filter((f) => f.endsWith('.tmp'));
            expect(left, 'no temporary left').toEqual([]);
            if (r.status === 0) {
              seen.ok++;
              expect(existsSync(output), 'exit 0 wrote its output').toBe(true);
            } else {
              seen.refused++;
              expect(existsSync(output), 'a failed run writes nothing').toBe(false);
              for (const line of r.stderr.trim().split('\n'))
                expect(line).toMatch(/^(error|usage|note|hexplan)\b|^\s/);
            }
          }),
          { numRuns: RUNS, seed: FUZZ_SEED },
        );
        expect(seen.ok + seen.refused).toBe(RUNS);
      },
      RUNS * PROCESS_BUDGET_MS,
    );
  }
});
