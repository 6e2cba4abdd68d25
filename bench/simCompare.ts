/**
 * Simulator throughput of this checkout against another one, measured in one process and
 * interleaved run by run, so machine load hits both sides alike and the ratio is what counts:
 *
 *   git worktree add /tmp/before <commit>
 *   npx tsx bench/simCompare.ts --against /tmp/before [--rounds 7]
 *
 * Both sides simulate instances/workloads/large.json × instances/clusters/hetero-32.json
 * (read from this checkout) with each policy × mode below; the result, CPU ms medians and
 * the after/before throughput ratio, is printed as a Markdown table on stdout.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type SimModule = typeof import('../src/sim/simulate.ts');
type ScenarioModule = typeof import('../src/scenario/scenario.ts');
type DocumentsModule = typeof import('../src/scenario/documents.ts');

const args = process.argv.slice(2);
const against = args[args.indexOf('--against') + 1];
if (!args.includes('--against') || !against) {
  process.stderr.write('usage: npx tsx bench/simCompare.ts --against OTHER_CHECKOUT [--rounds N]\n');
  process.exit(2);
}
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 7;
const here = fileURLToPath(new URL('..', import.meta.url));

/** The first of `paths` (relative to root) that exists, imported. */
async function load<T>(root: string, ...paths: string[]): Promise<T> {
  const { existsSync } = await import('node:fs');
  const path = paths.map((p) => resolve(root, p)).find((p) => existsSync(p));
  if (!path) throw new Error(`none of ${paths.join(', ')} in ${root}`);
  return (await import(pathToFileURL(path).href)) as T;
}

async function side(root: string) {
  const sim = await load<SimModule>(root, 'src/sim/simulate.ts');
  const scen = await load<ScenarioModule>(root, 'src/scenario/scenario.ts', 'src/scenario.ts');
  const docs = await load<DocumentsModule>(root, 'src/scenario/documents.ts', 'src/schema/documents.ts');
  const workload = docs.loadWorkload(resolve(here, 'instances/workloads/large.json'));
  const { cluster } = docs.loadCluster(resolve(here, 'instances/clusters/hetero-32.json'));
  return { sim, scenario: scen.makeScenario(workload, cluster) };
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const before = await side(resolve(against));
const after = await side(here);
const cases: Array<[string, 'exact' | 'realistic']> = [
  ['hexagent', 'exact'],
  ['fcfs', 'exact'],
  ['edf', 'exact'],
  ['hexagent', 'realistic'],
  ['fcfs', 'realistic'],
];
const rows: string[] = [];
for (const [policy, mode] of cases) {
  const times = { before: [] as number[], after: [] as number[] };
  for (let r = -2; r < rounds; r++) {
    for (const [name, s] of [
      ['before', before],
      ['after', after],
    ] as const) {
      const t0 = cpuMs();
      s.sim.simulate(s.scenario, policy, { mode });
      if (r >= 0) times[name].push(cpuMs() - t0); // the first two rounds warm the JIT
    }
  }
  const b = median(times.before);
  const a = median(times.after);
  rows.push(`| ${policy} | ${mode} | ${b.toFixed(0)} | ${a.toFixed(0)} | ${(b / a).toFixed(3)} |`);
}
process.stdout.write(
  [
    `Against ${against}, ${rounds} interleaved rounds after 2 warm-up rounds, median CPU ms per run.`,
    '',
    '| policy | mode | before ms | after ms | throughput after / before |',
    '|---|---|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);
