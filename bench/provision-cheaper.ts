/**
 * Is the provisioning gap the floor's looseness or an over-provisioned answer? Simulates EVERY
 * catalog cluster costing less than a given answer (realistic mode, hexagent, q 0.95, k 2 or
 * --scale K) and counts those meeting the target. Mixed instances as the bundled catalog runs them (chunked
 * prefill), or side by side with --side-by-side.
 * Run: npx tsx bench/provision-cheaper.ts WORKLOAD.json MAX_COST_PER_HOUR [--side-by-side] [--scale K]
 */
import { buildProvisionedCluster } from '../src/provision/cluster.ts';
import { planContext } from '../src/provision/context.ts';
import { loadProvisionSetup } from '../src/provision/offers.ts';
import { simulatedScaleIn } from '../src/provision/verifyCluster.ts';
import { loadWorkload } from '../src/scenario/documents.ts';

const bundled = loadProvisionSetup();
const setup = process.argv.includes('--side-by-side')
  ? { ...bundled, mixedTimeshare: false as const }
  : bundled;
const w = loadWorkload(process.argv[2]!);
const below = Number(process.argv[3]);
const scaleAt = process.argv.indexOf('--scale');
const k = scaleAt >= 0 ? Number(process.argv[scaleAt + 1]) : 2;
const ctx = planContext(w, setup, { quantile: 0.95 });
const types = ctx.demand.table.types;
const out: string[] = [];
let n = 0,
  met = 0;
const counts = types.map(() => 0);
const walk = (i: number, cost: number) => {
  if (cost >= below - 1e-9) return;
  if (i === types.length) {
    if (
      !types.some((t, j) => counts[j]! > 0 && t.canPrefill) ||
      !types.some((t, j) => counts[j]! > 0 && t.canDecode)
    )
      return;
    let s: number;
    try {
      s = simulatedScaleIn(w, buildProvisionedCluster(types, counts, setup), setup, {
        mode: 'realistic',
        policy: 'hexagent',
        quantile: 0.95,
      });
    } catch {
      return;
    }
    n++;
    if (s <= k) met++;
    out.push(
      `${cost.toFixed(2)} ${types
        .map((t, j) => (counts[j] ? `${counts[j]}${t.key.split('|').slice(1).join('/')}` : ''))
        .filter(Boolean)
        .join(' ')} scale ${s.toFixed(3)}`,
    );
    return;
  }
  for (let k = 0; cost + k * types[i]!.costPerHour < below - 1e-9; k++) {
    counts[i] = k;
    walk(i + 1, cost + k * types[i]!.costPerHour);
  }
  counts[i] = 0;
};
walk(0, 0);
out.sort();
console.log(out.join('\n'));
console.log(`${n} clusters below $${below}/h simulated, ${met} meet k = ${k}`);
