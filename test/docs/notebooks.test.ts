import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The recipes in docs/notebooks.md run as written (against the compiled package: npm test builds
// first). Python's standard library is all the second one needs.
describe('docs/notebooks.md recipes', () => {
  it('the plain-Node library recipe runs', () => {
    const r = spawnSync(process.execPath, ['docs/notebooks/library.mjs'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/hexagent exact: p95 scale 1\.\d{4}/);
    expect(r.stdout).toMatch(/least-loaded/);
  });

  it('the Python recipe runs', () => {
    const r = spawnSync('python3', ['docs/notebooks/cli.py'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^hexagent on instances\/clusters\/hetero-6\.json: p95 scale/);
    expect(r.stdout.trim().split('\n')).toHaveLength(8);
  });

  it('docs/notebooks.md shows both files as they are', () => {
    const doc = readFileSync('docs/notebooks.md', 'utf8');
    for (const f of ['docs/notebooks/library.mjs', 'docs/notebooks/cli.py'])
      expect(doc).toContain(readFileSync(f, 'utf8').trim());
  });
});
