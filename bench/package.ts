/**
 * Start-up cost of the package: `hexplan --help` and `import('hexplan')` against bare
 * `node -e 0`, interleaved (one of each per round) so machine load hits all three alike.
 * Targets (issue #15): --help ≤ 0.3 s above bare node, import ≤ 0.5 s. Uses the compiled dist/.
 *   npx tsx bench/package.ts [rounds]
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 10);
const index = pathToFileURL(`${root}dist/index.js`).href;
const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'hexplan --help': [`${root}bin/hexplan.js`, '--help'],
  'hexplan gap --help': [`${root}bin/hexplan.js`, 'gap', '--help'],
  "import('hexplan')": ['--input-type=module', '-e', `await import(${JSON.stringify(index)})`],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const load0 = loadavg()[0]!;
for (let r = 0; r < rounds; r++)
  for (const [name, args] of Object.entries(cases)) {
    const t0 = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times[name]!.push(performance.now() - t0);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const bare = median(times['node -e 0']!);
const rows = Object.entries(times).map(([name, xs]) => {
  const m = median(xs);
  return {
    name,
    median_ms: Math.round(m),
    above_bare_ms: Math.round(m - bare),
    ratio: +(m / bare).toFixed(2),
  };
});
console.log(
  JSON.stringify({ rounds, loadavg_1m: [load0, loadavg()[0]], node: process.version, rows }, null, 2),
);
