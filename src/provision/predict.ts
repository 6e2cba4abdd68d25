import type { MixSolution } from './mix.ts';
import type { ProvisionProblem } from './types.ts';

/**
 * The planner's own estimate of the scale a solution reaches, for the iteration table (not a
 * bound): the worst, over routes carrying flow, of the class's exact-mode service ratio
 * stretched by the mean M/D/1 wait at its prefill type, W = u·S̄ / (2(1 − u)) with u the
 * type's prefill utilization and S̄ its flow-weighted mean prefill time. Decode waits are not
 * modeled (slots are provisioned under the same cap), nor bursts within a workflow, which is
 * why the simulator has the last word.
 */
export function predictedScale(problem: ProvisionProblem, sol: MixSolution): number {
  const { types, classes, pairs, ratio } = problem;
  const busy = new Array<number>(types.length).fill(0);
  const calls = new Array<number>(types.length).fill(0);
  for (const f of sol.flows) {
    const p = pairs[f.k]!.p;
    busy[p]! += f.ratePerS * classes[f.c]!.prefillS[p]!;
    calls[p]! += f.ratePerS;
  }
  const waitS = types.map((_, i) => {
    const n = sol.counts[i]!;
    if (n === 0 || calls[i]! === 0) return 0;
    const u = Math.min(0.99, busy[i]! / n);
    const mean = busy[i]! / calls[i]!;
    return (u * mean) / (2 * (1 - u));
  });
  let worst = 0;
  for (const f of sol.flows) {
    const { p, d } = pairs[f.k]!;
    const cls = classes[f.c]!;
    const serviceS = cls.prefillS[p]! + cls.decodeS[d]! + cls.transferBytes / types[p]!.networkBytesPerS;
    const r = ratio[f.c]![f.k]! * (1 + waitS[p]! / serviceS);
    if (r > worst) worst = r;
  }
  return worst;
}
