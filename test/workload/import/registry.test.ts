import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../../src/errors.ts';
import { importAzure } from '../../../src/workload/import/azure.ts';
import { importTrace } from '../../../src/workload/import/importTrace.ts';
import { getImporter, importFormats, registerImporter } from '../../../src/workload/import/registry.ts';
import { fixture } from './helpers.ts';

/**
 * Adding a trace format is one file and one registration: a throwaway format registered
 * here (Azure's reader under another name, taking only the first three rows) imports
 * through the same entry point, with the same checks and outputs.
 */
describe('trace importer registry', () => {
  it('a registered throwaway format imports through importTrace', async () => {
    registerImporter({
      ...importAzure,
      name: 'azure-head',
      description: 'test format: the first three Azure rows',
      run: (file, opts, shapes) => importAzure.run(file, { ...opts, limit: 3 }, shapes),
    });
    expect(importFormats()).toContain('azure-head');
    expect(() => registerImporter({ ...importAzure })).toThrow(/registered already/);
    const head = await importTrace(fixture('azure-small.csv'), { format: 'azure-head' });
    const full = await importTrace(fixture('azure-small.csv'), { format: 'azure' });
    expect(head.workload.workflows).toHaveLength(3);
    expect(head.workload.workflows.map((w) => w.calls)).toEqual(
      full.workload.workflows.slice(0, 3).map((w) => w.calls),
    );
  });

  it('an unknown format is a user error naming the known ones', () => {
    expect(() => getImporter('nope')).toThrow(HexplanError);
    expect(() => getImporter('nope')).toThrow(/known: azure, mooncake, otel/);
  });
});
