import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS as DOCUMENT_KINDS } from '../../src/scenario/documents.ts';
import { FILE_FORMATS, fileFormat, jsonSchemaOf } from '../../src/schema/formats.ts';
import { formatsMarkdown } from '../../src/schema/formatsDoc.ts';
import { runCli } from '../helpers/cliOutput.ts';

describe('file formats', () => {
  it('docs/formats.md is what `npm run docs:formats` generates from the schemas', () => {
    expect(readFileSync('docs/formats.md', 'utf8')).toBe(formatsMarkdown());
  });

  it('lists every kind `validate` recognizes', () => {
    const names = new Set(FILE_FORMATS.map((f) => f.name));
    for (const entry of Object.values(DOCUMENT_KINDS)) expect(names, entry.kind).toContain(entry.kind);
  });

  it('the JSON Schema of an input refuses what the zod schema refuses', () => {
    const js = jsonSchemaOf(fileFormat('workload')!) as { required: string[]; additionalProperties: boolean };
    expect(js.required).toEqual(['schema', 'workflows']);
    expect(js.additionalProperties).toBe(false);
    // Round trip: the JSON Schema read back into zod still checks the same bundled file.
    const back = z.fromJSONSchema(js as never);
    const file = JSON.parse(readFileSync('instances/workloads/tiny.json', 'utf8'));
    expect(back.safeParse(file).success).toBe(true);
    expect(back.safeParse({ ...file, extra: 1 }).success).toBe(false);
  });

  it('`hexplan schema` lists the formats; `hexplan schema NAME` prints its JSON Schema', async () => {
    const list = await runCli(['schema', '--json']);
    expect(list.code).toBe(0);
    const out = JSON.parse(list.out);
    expect(out.schema).toBe('hexplan/schema-list@1');
    expect(out.formats.map((f: { name: string }) => f.name)).toEqual(FILE_FORMATS.map((f) => f.name));
    const one = await runCli(['schema', 'grid']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.out)).toEqual(jsonSchemaOf(fileFormat('grid')!));
    const bad = await runCli(['schema', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown format "nope" \(known: workload, /);
    expect(bad.out).toBe('');
  });
});
