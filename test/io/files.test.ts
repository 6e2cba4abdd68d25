import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { parseJsonText, readJsonFile, writeFileAtomic } from '../../src/io/files.ts';

describe('files', () => {
  it('names the line and column of a JSON syntax error', () => {
    expect(() => parseJsonText('w.json', '{\n  "a": 1,\n  "b": }')).toThrow(
      /w\.json: \(root\): malformed JSON at line 3/,
    );
  });

  it('calls an empty file empty, and a missing file missing', () => {
    expect(() => parseJsonText('e.json', '  ')).toThrow(/empty file/);
    expect(() => readJsonFile('/nonexistent/x.json')).toThrow(HexplanError);
  });

  it('writes atomically and leaves no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hexplan-'));
    const file = join(dir, 'out.json');
    writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'x.json'), 'x')).toThrow(HexplanError);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});

describe('jsonErrorOffset', () => {
  it('points at the offending token or at the end of a truncated document', async () => {
    const { jsonErrorOffset } = await import('../../src/io/jsonErrorOffset.ts');
    expect(jsonErrorOffset('{"a": 1,\n "b": }')).toBe(15);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(9);
    expect(jsonErrorOffset('{"a": 1} x')).toBe(9);
    expect(() => parseJsonText('t.json', '{"a": [1, 2')).toThrow(/line 1, column 12 \(the file ends early/);
  });
});

describe('output folders', () => {
  it('are checked before any work starts', async () => {
    const { checkOutputFolders } = await import('../../src/cli/common.ts');
    expect(() => checkOutputFolders({ output: '/nonexistent-hexplan/dir/p.json' })).toThrow(
      /--output: .* folder "\/nonexistent-hexplan\/dir" does not exist/,
    );
    expect(() => checkOutputFolders({ clusterOut: '/nonexistent-hexplan/c.json' })).toThrow(/--cluster-out/);
    expect(() => checkOutputFolders({ output: 'here.json', trace: undefined })).not.toThrow();
  });
});
