import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../../src/errors.ts';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import type { ImportFormat } from '../../../src/workload/import/options.ts';
import { fixture, tempDir, validationProblems } from './helpers.ts';

/** One corruption of a file's bytes: what real broken traces look like. */
const corruption = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    n: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), n: fc.nat() }),
);
type Corruption = typeof corruption extends fc.Arbitrary<infer T> ? T : never;

function corrupt(bytes: Buffer, c: Corruption): Buffer {
  if (c.kind === 'flip') {
    const out = Buffer.from(bytes);
    for (let k = 0; k < c.n; k++) out[(c.at + k * 7919) % out.length] = (c.byte + k * 31) & 255;
    return out;
  }
  if (c.kind === 'truncate') return bytes.subarray(0, c.at % (bytes.length + 1));
  const lines = bytes.toString('latin1').split('\n');
  const i = c.at % lines.length;
  if (c.kind === 'drop') lines.splice(i, c.n);
  else if (c.kind === 'dup') lines.splice(i, 0, ...lines.slice(i, i + c.n));
  else {
    const j = c.n % lines.length;
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return Buffer.from(lines.join('\n'), 'latin1');
}

/** Only two outcomes are allowed: a workload that validates, or a HexplanError. */
async function importsOrExplains(file: string, format: ImportFormat, strict: boolean): Promise<void> {
  try {
    const { workload } = await importTrace(file, { format, strict });
    expect(validationProblems(workload)).toEqual([]);
  } catch (err) {
    if (!(err instanceof HexplanError)) throw err;
    expect(err.message).toContain(file);
  }
}

const CASES: Array<[ImportFormat, string]> = [
  ['azure', 'azure-small.csv'],
  ['azure', 'azure-bad.csv'],
  ['mooncake', 'mooncake-small.jsonl'],
  ['otel', 'otel-agent.jsonl'],
  ['otel', 'otel-agent.json'],
];

describe('random corruption never crashes an importer', () => {
  const dir = tempDir();
  for (const [format, name] of CASES) {
    it(`${format}: ${name}`, async () => {
      const original = readFileSync(fixture(name));
      let k = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(corruption, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (cs, strict) => {
            const bytes = cs.reduce(corrupt, original);
            const file = join(dir, `${k++}-${name}`);
            writeFileSync(file, bytes);
            await importsOrExplains(file, format, strict);
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});
