/**
 * How tight is the realistic lower bound where the optimum is (nearly) known? On the oracle
 * tests' tiny instances (`tinyScenario(seed, calls)`: 3 calls on a hetero-4 whose decode slots
 * and KV are sometimes scarce, q = 1) it compares the LB with the best of an exhaustive search
 * over every (prefill, decode) pair and priority order and of the placement search (which also
 * idles and caps batches). UB/LB − 1 there bounds the LB's looseness from above. Prints only.
 * Run: npx tsx bench/realisticTightness.ts [--seeds N] [--calls C]
 */
import { searchPlacement } from '../src/analysis/placementSearch.ts';
import { realisticLowerBound } from '../src/bounds/realisticBound.ts';
import { closeIdleWorkers } from '../src/solver/solve.ts';
import { exhaustiveBest } from '../test/check/oracle/exhaustiveRealistic.ts';
import { tinyScenario } from '../test/check/oracle/tinyScenarios.ts';

const argAfter = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const seeds = argAfter('--seeds', 30);
const calls = argAfter('--calls', 3);
const gaps: number[] = [];
console.log('| seed | decode slots | LB | exhaustive | placement search | UB/LB − 1 |');
console.log('|---:|---|---:|---:|---:|---:|');
for (let seed = 1; seed <= seeds; seed++) {
  const sc = tinyScenario(seed, calls);
  const exhaustive = exhaustiveBest(sc, calls);
  const lb = (await realisticLowerBound(sc, { quantile: 1, timeLimitS: 20 })).value;
  const searched = (await searchPlacement(sc, { quantile: 1, policy: 'atlas', moves: 2000, seed: 1 })).scale;
  const gap = Math.min(exhaustive, searched) / lb - 1;
  gaps.push(gap);
  const slots = sc.cost.instances.filter((i) => i.canDecode).map((i) => i.decodeSlots);
  console.log(
    `| ${seed} | ${slots.join(', ')} | ${lb.toFixed(4)} | ${exhaustive.toFixed(4)} | ${searched.toFixed(4)} | ${(gap * 100).toFixed(1)}% |`,
  );
}
gaps.sort((a, b) => a - b);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `\n${gaps.length} instances: median ${pct(gaps[gaps.length >> 1]!)}, 90th percentile ${pct(gaps[Math.floor(0.9 * (gaps.length - 1))]!)}, max ${pct(gaps[gaps.length - 1]!)}; within 0.1%: ${gaps.filter((g) => g <= 0.001).length}`,
);
closeIdleWorkers();
