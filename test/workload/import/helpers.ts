import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workload } from '../../../src/schema/workload.ts';
import { checkWorkload } from '../../../src/workload/checks.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));
export const fixture = (name: string) => join(FIXTURES, name);

/** The bundled real sample: the first 2,000 rows of the Azure 2023 conversation trace (CC-BY-4.0). */
export const REAL_AZURE = fileURLToPath(
  new URL('../../../traces/azure-llm-2023-conv-sample.csv', import.meta.url),
);

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hexplan-import-'));
}

/** Problems `hexplan validate` would report for this workload value (empty when valid). */
export function validationProblems(value: unknown): string[] {
  const parsed = Workload.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return checkWorkload('workload', parsed.data);
}

export const one = (
  id: string,
  arrival_s: number,
  input_tokens: number,
  output_tokens: number,
  family: string,
) => ({
  id,
  arrival_s,
  model: 'Qwen2.5-32B',
  family,
  calls: [{ id: 'c0', input_tokens, output_tokens, deps: [], tool_s: 0 }],
});
