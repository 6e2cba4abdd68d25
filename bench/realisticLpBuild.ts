/**
 * Wall time of buildRealisticLp at ~1M calls for a few k, with a hash of the model built, so a
 * faster build can be checked to build the same LP.
 * Default: `gen mixed -n 230000 --seed 11 --load 0.9` on hetero-32.
 * Run: [NW=workflows] [KS=1.1,1.02] npx tsx bench/realisticLpBuild.ts
 */
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import { realisticFloors } from '../src/bounds/realisticFloors.ts';
import { buildRealisticLp } from '../src/bounds/realisticLp.ts';
import { requiredRank } from '../src/slo/quantile.ts';
import { mixedHetero32 } from './generatedScenario.ts';

const n = Number(process.env.NW ?? 230000);
const sc = mixedHetero32(n);
const floors = realisticFloors(sc);
for (const k of (process.env.KS ?? '1.1,1.02').split(',').map(Number)) {
  const t = performance.now();
  const lp = buildRealisticLp(sc, floors, k, requiredRank(n, 0.95), { intervals: 24 });
  const s = (performance.now() - t) / 1000;
  const hash = createHash('sha256')
    .update(JSON.stringify([lp.model.constraints, lp.model.variables, lp.model.objective]))
    .digest('hex')
    .slice(0, 16);
  console.log(
    `k ${k}: build ${s.toFixed(2)} s, ${lp.model.variables.length} columns, model ${hash}, load ${loadavg()[0]!.toFixed(1)}`,
  );
}
