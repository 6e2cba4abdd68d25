// The package as a user gets it: pack the tarball, install it into an empty folder, import it
// from a plain .mjs file and run `npx hexplan gap` there. Part of `npm test` (after the build).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAX_TARBALL_BYTES = 2 * 1024 * 1024;
const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'hexplan-package-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function fail(message) {
  process.stderr.write(`check-package: ${message}\n`);
  process.exit(1);
}

try {
  const [packed] = JSON.parse(
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], root),
  );
  const tarball = join(work, packed.filename);
  const bytes = statSync(tarball).size;
  if (bytes > MAX_TARBALL_BYTES) fail(`tarball is ${bytes} bytes, over the ${MAX_TARBALL_BYTES} limit`);
  for (const f of packed.files.map((x) => x.path)) {
    if (/^(test|bench|\.ci|scripts|src)\//.test(f)) fail(`tarball ships ${f}`);
  }
  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
  writeFileSync(
    join(app, 'use.mjs'),
    [
      "import { loadScenario, simulate, withSchema } from 'hexplan';",
      'const scenario = loadScenario();',
      "const run = simulate(scenario, 'hexagent', { mode: 'exact' });",
      "console.log(JSON.stringify(withSchema('check', { calls: run.metrics.calls, p95: run.metrics.p95 })));",
    ].join('\n'),
  );
  const used = JSON.parse(run('node', ['use.mjs'], app));
  if (!(used.calls > 0 && used.p95 >= 1)) fail(`library import gave ${JSON.stringify(used)}`);
  const gap = JSON.parse(
    run('npx', ['--no-install', 'hexplan', 'gap', '--json', '--quiet', '--time-limit', '5'], app),
  );
  if (gap.schema !== 'hexplan/gap-result@1' || !(gap.policies?.length > 0))
    fail(`npx hexplan gap --json gave ${JSON.stringify(gap).slice(0, 200)}`);
  process.stdout.write(
    `check-package: ${packed.filename} ${(bytes / 1024).toFixed(0)} KiB, ${packed.entryCount} files; ` +
      `import and npx hexplan gap work from an empty folder\n`,
  );
} catch (err) {
  fail(`${err.message}\n${err.stderr ?? ''}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
