/**
 * What binds in one realistic-bound LP (docs/bounds.md, "Limits"): solves the LP at one k on
 * `gen mixed -n 300 --seed 7 --load 0.9` (hetero-6), or WORKLOAD on CLUSTER, and prints, per
 * row family and instance group, the rows' total activity against their total right-hand side and how many are tight,
 * the met indicators' spread, and each decode group's tokens and mean step-seconds per token,
 * split by lane-time category (ingredient 8: chain calls of ingredient 7, other calls), against
 * the batch-of-one step at the category's mean prompt.
 * (`gpu_lane`: a timeshared mixed instance's one row for both stages, ingredient 9).
 * Run: [K=1.15] [INTERVALS=24] [Q=0.95] [WORKLOAD=w.json CLUSTER=c.json] npx tsx bench/realisticLpBinding.ts
 */

import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { closeIdleWorkers, solveModel } from '../src/solver/solve.ts';
import { probedScenario } from './generatedScenario.ts';

const sc = probedScenario();
const floors = realisticFloors(sc);
const k = Number(process.env.K ?? 1.15);
const required = requiredRank(sc.workload.workflows.length, Number(process.env.Q ?? 0.95));
const lp = buildRealisticLp(sc, floors, k, required, { intervals: Number(process.env.INTERVALS ?? 24) });
const res = await solveModel(lp.model, { solver: 'highs', timeLimitS: 600, lpMethod: 'ipm' });
closeIdleWorkers();
if (res.status !== 'optimal' || !res.values) throw new Error(`LP ${res.status}: ${res.message ?? ''}`);
const v = res.values;
console.log(`k ${k}: Σ met ${res.objective!.toFixed(2)} of ${required} needed (${lp.possible} possible)`);

const families = new Map<string, { activity: number; rhs: number; tight: number; rows: number }>();
for (const row of lp.model.constraints) {
  const m = row.name.match(/^(pre_work|dec_lane|gpu_lane|dec_slots|dec_kv)_(\d+)_\d+$/);
  if (!m) continue;
  let activity = 0;
  for (let i = 0; i < row.vars.length; i++) activity += row.coefs[i]! * v[row.vars[i]!]!;
  const key = `${m[1]} ${floors.groups[Number(m[2])]!.members[0]!.id}`;
  const f = families.get(key) ?? { activity: 0, rhs: 0, tight: 0, rows: 0 };
  f.activity += activity;
  f.rhs += row.rhs;
  f.rows++;
  if (row.rhs - activity <= 1e-6 * Math.max(1, Math.abs(row.rhs))) f.tight++;
  families.set(key, f);
}
for (const [key, f] of [...families].sort(([a], [b]) => a.localeCompare(b)))
  console.log(
    `${key}: ${((100 * f.activity) / f.rhs).toFixed(1)}% of capacity, ${f.tight} of ${f.rows} rows tight`,
  );

// A token column's category: the floor cut `dec_floor_<cat>_<g>_<t>` it appears in.
const categoryOf = new Map<number, string>();
for (const row of lp.model.constraints) {
  const m = row.name.match(/^dec_floor_(\d+)_\d+_\d+$/);
  if (m) for (const j of row.vars) categoryOf.set(j, m[1] === '1' ? 'chain' : 'other');
}
const columnOf = new Map(lp.model.variables.map((x, i) => [x.name, i]));
const spread = { zero: 0, partial: 0, one: 0 };
type Use = { tokens: number; stepS: number; aloneS: number };
const decode = new Map<string, Use>();
const add = (key: string, tokens: number, stepS: number, aloneS: number) => {
  const d = decode.get(key) ?? { tokens: 0, stepS: 0, aloneS: 0 };
  d.tokens += tokens;
  d.stepS += stepS;
  d.aloneS += aloneS;
  decode.set(key, d);
};
lp.model.variables.forEach((x, i) => {
  if (x.name.startsWith('met_')) {
    if (v[i]! < 1e-6) spread.zero++;
    else if (v[i]! > 1 - 1e-6) spread.one++;
    else spread.partial++;
  }
  const m = x.name.match(/^dec_\d+_(\d+)_\d+_n$/);
  if (!m) return;
  const group = floors.groups[Number(m[1])]!;
  const id = group.members[0]!.id;
  const n = v[i]!;
  const e = v[columnOf.get(`${x.name.slice(0, -1)}e`)!]!;
  // The class's own floor row `dec_…_fastest` is Σ (d0 + d1 + d2·prompt)·n − e ≤ 0: its
  // coefficient on n is the batch-of-one step at the class's least prompt.
  const fastest = lp.model.constraints.find((r) => r.name === `${x.name.replace(/_\d+_n$/, '')}_fastest`);
  const alone = fastest ? fastest.coefs[fastest.vars.indexOf(i)]! : 0;
  add(id, n, e, alone * n);
  add(`${id} ${categoryOf.get(i) ?? '?'}`, n, e, alone * n);
});
console.log(`met: ${spread.one} at 1, ${spread.partial} fractional, ${spread.zero} at 0`);
for (const [key, d] of [...decode].sort(([a], [b]) => a.localeCompare(b)))
  if (d.tokens > 0.5)
    console.log(
      `decode ${key}: ${d.tokens.toFixed(0)} tokens, ${((1000 * d.stepS) / d.tokens).toFixed(2)} ms per token, ${(d.stepS / d.aloneS).toFixed(2)}× the step alone`,
    );
