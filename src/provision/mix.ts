import type { Role } from '../schema/cluster.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { PARALLEL_SOLVES } from '../solver/parallel.ts';
import type { SolveStatus } from '../solver/result.ts';
import { solveModel } from '../solver/solve.ts';
import { buildProvisionModel } from './milp.ts';
import type { MilpOptions, ProvisionObjective, ProvisionProblem } from './types.ts';

/**
 * One provisioning decision: the MILP solved once per reference set of GPU types, keeping the
 * best. Why per set: the SLO scale is relative to the standalone time ON THE CLUSTER BUILT, and
 * that depends on which GPU types it holds. Eligibility is computed against the fastest pair
 * of the set, a lower bound on the standalone time of any cluster drawn from it, so a pair
 * allowed there is allowed in the cluster built (conservative); enumerating the sets lets an
 * all-A100 cluster be judged against A100 standalone times, as the simulator will judge it.
 */
export interface MixOptions {
  rho: number;
  latencyLimit: number;
  objective: ProvisionObjective;
  budgetPerHour?: number;
  solver?: SolverName;
  timeLimitS?: number;
  mipRelGap?: number;
  maxRateMultiplier?: number;
  ignoreAvailability?: boolean;
  mixedTimeShare?: boolean;
  excluded?: number[][];
  roles?: ReadonlySet<Role>;
}

export interface MixSolution {
  status: SolveStatus;
  referenceGpus: string[];
  /** Instances per type (problem.types order). */
  counts: number[];
  costPerHour: number;
  /** μ in max-rate mode, else 1. */
  rateMultiplier: number;
  /** Proven bound of the chosen set's MILP and its relative gap. */
  bound: number | null;
  gap: number | null;
  /** Calls/s per (class, pair) in the chosen solution. */
  flows: Array<{ c: number; k: number; ratePerS: number }>;
  /** Seconds in all solves of this decision. */
  solveSeconds: number;
}

export interface MixOutcome {
  best: MixSolution | null;
  /**
   * The LP relaxation's optimum over all reference sets (fractional GPU counts): a lower bound
   * on the MILP's cost (min-cost) or an upper bound on its μ (max-rate). Null when every LP is
   * infeasible.
   */
  lpObjective: number | null;
  /** Statuses of the MILPs that did not solve to optimality (for honest reporting). */
  notes: string[];
  solveSeconds: number;
  subsetsSolved: number;
}

/** Every nonempty subset of the purchasable GPUs, smallest first (deterministic order). */
export function referenceSets(gpus: string[]): string[][] {
  const out: string[][] = [];
  const n = gpus.length;
  if (n > 6) return [gpus, ...gpus.map((g) => [g])];
  for (let mask = 1; mask < 1 << n; mask++) out.push(gpus.filter((_, i) => mask & (1 << i)));
  return out.sort((a, b) => a.length - b.length);
}

export async function solveMix(
  problems: Map<string, ProvisionProblem>,
  sets: string[][],
  options: MixOptions,
): Promise<MixOutcome> {
  const maximize = options.objective === 'max-rate';
  const better = (a: number, b: number) => (maximize ? a > b + 1e-9 : a < b - 1e-9);
  const milpOptions = (gpus: string[]): MilpOptions => ({
    rho: options.rho,
    latencyLimit: options.latencyLimit,
    objective: options.objective,
    budgetPerHour: options.budgetPerHour,
    gpus: new Set(gpus),
    ignoreAvailability: options.ignoreAvailability,
    maxRateMultiplier: options.maxRateMultiplier,
    mixedTimeShare: options.mixedTimeShare,
    excluded: options.excluded,
    roles: options.roles,
  });
  let seconds = 0;
  const notes: string[] = [];
  // LP relaxations first: they bound each set's MILP, so sets that cannot beat the incumbent
  // are skipped (the relaxation's optimum is no worse than the MILP's).
  const lps: Array<{
    set: string[];
    lp: number;
    problem: ProvisionProblem;
    built: ReturnType<typeof buildProvisionModel>;
  }> = [];
  let lpObjective: number | null = null;
  for (const set of sets) {
    const problem = problems.get(set.join('+'))!;
    const built = buildProvisionModel(problem, milpOptions(set));
    if (built.unroutable.length > 0) continue;
    const r = await solveModel(built.model.relaxed(), {
      solver: options.solver,
      timeLimitS: options.timeLimitS,
    });
    seconds += r.solveSeconds;
    if (r.status !== 'optimal' || r.objective === null) continue;
    lps.push({ set, lp: r.objective, problem, built });
    if (lpObjective === null || better(r.objective, lpObjective)) lpObjective = r.objective;
  }
  lps.sort((a, b) => (maximize ? b.lp - a.lp : a.lp - b.lp) || a.set.length - b.set.length);
  let best: MixSolution | null = null;
  let solved = 0;
  // Sets whose relaxation can beat the incumbent, a few MILPs at a time in worker threads. An
  // answer is taken in the sets' order and only if its set would still have been solved after
  // the answers before it, so the best is the one solving them in turn finds.
  const canBeat = (lp: number) => !best || better(lp, objectiveOf(best, maximize));
  for (let i = 0; i < lps.length; i += PARALLEL_SOLVES) {
    const batch = lps.slice(i, i + PARALLEL_SOLVES).filter(({ lp }) => canBeat(lp));
    const answers = await Promise.all(
      batch.map(({ built }) =>
        solveModel(built.model, {
          solver: options.solver,
          timeLimitS: options.timeLimitS,
          mipRelGap: options.mipRelGap,
          isolation: batch.length > 1 ? 'parallel' : 'auto',
        }),
      ),
    );
    for (const [j, { set, lp, problem, built }] of batch.entries()) {
      if (!canBeat(lp)) continue;
      const r = answers[j]!;
      seconds += r.solveSeconds;
      solved++;
      if (r.status !== 'optimal')
        notes.push(`reference set ${set.join('+')}: ${r.status}${r.message ? ` (${r.message})` : ''}`);
      if (!r.values || r.objective === null) continue;
      const values = r.values;
      const counts = built.count.map((v) => (v ? Math.round(values[v.index]!) : 0));
      const cost = counts.reduce((s, n, t) => s + n * problem.types[t]!.costPerHour, 0);
      const sol: MixSolution = {
        status: r.status,
        referenceGpus: set,
        counts,
        costPerHour: cost,
        rateMultiplier: built.mu ? values[built.mu.index]! : 1,
        bound: r.bound,
        gap: r.gap,
        flows: built.routes
          .map(({ c, k, v }) => ({ c, k, ratePerS: values[v.index]! }))
          .filter((f) => f.ratePerS > 1e-12),
        solveSeconds: r.solveSeconds,
      };
      if (!best || better(objectiveOf(sol, maximize), objectiveOf(best, maximize))) best = sol;
      else if (
        maximize &&
        Math.abs(sol.rateMultiplier - best.rateMultiplier) <= 1e-9 &&
        sol.costPerHour < best.costPerHour
      ) {
        best = sol;
      }
    }
  }
  return { best, lpObjective, notes, solveSeconds: seconds, subsetsSolved: solved };
}

function objectiveOf(s: MixSolution, maximize: boolean): number {
  return maximize ? s.rateMultiplier : s.costPerHour;
}
