import type { Cluster, Role } from '../schema/cluster.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import type { CandidatePool } from './candidates.ts';
import { countsByGpu, countsLabel, gpuCount } from './cluster.ts';
import { type BindingLimit, diagnose, problemsFor } from './context.ts';
import { type MixOptions, referenceSets, solveMix } from './mix.ts';
import { predictedScale } from './predict.ts';
import type { ProvisionObjective } from './types.ts';

export interface LoopOptions {
  quantile: number;
  /** Required SLO scale at the quantile. */
  scale: number;
  /** Share of the scale a call's service may use on its pair (the rest is left for waiting). */
  latencyShare?: number;
  rhoStart?: number;
  rhoFloor?: number;
  maxIterations?: number;
  refineSteps?: number;
  objective?: ProvisionObjective;
  budgetPerHour?: number;
  solver?: SolverName;
  timeLimitS?: number;
  mipRelGap?: number;
  /** Cluster name written into the cluster file. */
  clusterName?: string;
  /** Only these roles may be bought (the no-PD baseline: mixed only); default all. */
  roles?: ReadonlySet<Role>;
}

/**
 * Defaults: the whole scale for service (share 1, the example: latency on (p, d) ≤
 * k × standalone), because exact-mode decodes run at full-batch speed, up to ~1.5× the
 * standalone decode for long calls, which leaves a smaller share infeasible at tight targets;
 * waiting is then governed by ρ, which the loop tightens from 0.95.
 */
export const LOOP_DEFAULTS = {
  latencyShare: 1,
  rhoStart: 0.95,
  rhoFloor: 0.2,
  maxIterations: 8,
  /** Bisection steps on ρ after the first verified cluster (min-cost only). */
  refineSteps: 4,
  /** Consecutive iterations returning an already simulated cluster before giving up. */
  stallLimit: 3,
} as const;

export interface LoopIteration {
  iteration: number;
  /**
   * `tighten`: ρ shrinks until a cluster verifies; `refine`: bisection on ρ toward a cheaper
   * MILP decision.
   */
  phase: 'tighten' | 'refine';
  rho: number;
  reference_gpus: string[];
  counts: Record<string, Record<string, number>>;
  gpus: number;
  cost_per_hour: number;
  lp_cost_per_hour: number | null;
  rate_multiplier: number;
  solver_status: string;
  mip_gap: number | null;
  /** The planner's estimate (predict.ts). */
  predicted_scale: number | null;
  /** Required scale in the verifier's mode; null when the decision was not simulated (see `note`). */
  simulated_scale: number | null;
  met: boolean;
  /** False when this cluster was simulated in an earlier iteration (its result is reused). */
  simulated_now: boolean;
  note?: string;
}

export type StopReason = 'verified' | 'rho_floor' | 'iteration_cap' | 'stalled' | BindingLimit['limit'];

export interface LoopResult {
  verified: boolean;
  stopReason: StopReason;
  message: string;
  iterations: LoopIteration[];
  /** The last (verified, when verified) decision, null if the MILP never had a solution. */
  final: {
    counts: number[];
    cluster: Cluster;
    costPerHour: number;
    rateMultiplier: number;
    /** Required scale in the verifier's mode. */
    scale: number;
    /** 1-based iteration it came from. */
    iteration: number;
  } | null;
}

/**
 * The closed loop: solve the MILP at cap ρ, build the cluster, simulate it through the pool
 * (the verifier's mode and policy), and stop when the required scale is met. On a miss, ρ shrinks by
 * the factor (k − 1)/(s − 1) (clamped to [0.5, 0.9]): the excess of the simulated scale s over
 * the no-wait scale 1 is mostly queueing, which falls roughly in proportion to utilization.
 * Ends at the ρ floor, the iteration cap, when tightening keeps returning clusters already
 * simulated (`stalled`), or when the MILP has no solution (the binding limit is named).
 */
export async function closedLoop(
  pool: CandidatePool,
  options: LoopOptions & { foundBy?: string },
): Promise<LoopResult> {
  const ctx = pool.ctx;
  const foundBy = options.foundBy ?? 'closed-loop';
  const share = options.latencyShare ?? LOOP_DEFAULTS.latencyShare;
  const rhoFloor = options.rhoFloor ?? LOOP_DEFAULTS.rhoFloor;
  const maxIterations = options.maxIterations ?? LOOP_DEFAULTS.maxIterations;
  const objective = options.objective ?? 'min-cost';
  const k = options.scale;
  const types = ctx.demand.table.types;
  const sets = referenceSets(ctx.purchasable);
  const problems = problemsFor(ctx, sets);
  const iterations: LoopIteration[] = [];
  let rho = options.rhoStart ?? LOOP_DEFAULTS.rhoStart;
  let stall = 0;
  let final: LoopResult['final'] = null;
  const finish = (verified: boolean, stopReason: StopReason, message: string): LoopResult => ({
    verified,
    stopReason,
    message,
    iterations,
    final,
  });

  type Step = Evaluated | { failed: BindingLimit };
  type Evaluated = { met: boolean; cached: boolean; cost: number; scale: number };
  const step = async (phase: 'tighten' | 'refine', onlyIfCheaperThan?: number): Promise<Step | null> => {
    const mixOptions: MixOptions = {
      rho,
      latencyLimit: share * k,
      objective,
      budgetPerHour: options.budgetPerHour,
      solver: options.solver,
      timeLimitS: options.timeLimitS,
      mipRelGap: options.mipRelGap,
      // The clusters it proposes are simulated the same way (ProvisionSetup.mixedTimeshare).
      mixedTimeShare: ctx.setup.mixedTimeshare !== false,
      excluded: objective === 'min-cost' ? excluded : undefined,
      roles: options.roles,
    };
    const outcome = await solveMix(problems, sets, mixOptions);
    const best = outcome.best;
    if (!best || (objective === 'max-rate' && best.rateMultiplier <= 1e-9)) {
      return { failed: await diagnose(ctx, mixOptions, { scale: k, share, quantile: options.quantile }) };
    }
    // Refinement only simulates a decision that would improve on the verified one.
    if (onlyIfCheaperThan !== undefined && !(best.costPerHour < onlyIfCheaperThan - 1e-9)) {
      iterations.push({
        iteration: iterations.length + 1,
        phase,
        rho: round(rho, 6),
        reference_gpus: best.referenceGpus,
        lp_cost_per_hour: outcome.lpObjective === null ? null : round(outcome.lpObjective, 6),
        solver_status: best.status,
        mip_gap: best.gap === null ? null : round(best.gap, 6),
        predicted_scale: null,
        counts: countsByGpu(types, best.counts),
        gpus: gpuCount(types, best.counts),
        cost_per_hour: round(best.costPerHour, 6),
        rate_multiplier: round(best.rateMultiplier, 6),
        simulated_scale: null,
        met: false,
        simulated_now: false,
        note: 'not cheaper than the verified cluster: not simulated',
      });
      return null;
    }
    const predicted = predictedScale(problems.get(best.referenceGpus.join('+'))!, best);
    return await evaluate(phase, best.counts, best.rateMultiplier, {
      reference_gpus: best.referenceGpus,
      lp_cost_per_hour:
        objective === 'min-cost' && outcome.lpObjective !== null ? round(outcome.lpObjective, 6) : null,
      solver_status: best.status,
      mip_gap: best.gap === null ? null : round(best.gap, 6),
      predicted_scale: round(predicted, 4),
    });
  };
  type SolverFields = Pick<
    LoopIteration,
    'reference_gpus' | 'lp_cost_per_hour' | 'solver_status' | 'mip_gap' | 'predicted_scale'
  >;
  /** Simulates a cluster through the pool, records the iteration, keeps the best verified. */
  const evaluate = async (
    phase: LoopIteration['phase'],
    counts: number[],
    rateMultiplier: number,
    solver: SolverFields,
  ): Promise<Evaluated> => {
    const cand = await pool.evaluate(counts, foundBy, rateMultiplier);
    const met = cand.met;
    iterations.push({
      iteration: iterations.length + 1,
      phase,
      rho: round(rho, 6),
      ...solver,
      counts: countsByGpu(types, counts),
      gpus: cand.gpus,
      cost_per_hour: round(cand.costPerHour, 6),
      rate_multiplier: round(rateMultiplier, 6),
      simulated_scale: round(cand.scale, 4),
      met,
      simulated_now: !cand.cached,
    });
    pool.say(
      `${foundBy} ${phase} #${iterations.length}: ${countsLabel(countsByGpu(types, counts))} $${cand.costPerHour.toFixed(2)}/h, scale ${cand.scale.toFixed(3)}${met ? ' (met)' : ''}`,
    );
    if (met || !verifiedFinal) {
      final = {
        counts,
        cluster: pool.cluster(counts, options.clusterName),
        costPerHour: cand.costPerHour,
        rateMultiplier,
        scale: cand.scale,
        iteration: iterations.length,
      };
      if (met) verifiedFinal = true;
    }
    return { met, cached: cand.cached, cost: cand.costPerHour, scale: cand.scale };
  };
  let verifiedFinal = false;
  const excluded = pool.failed;

  // Phase 1: tighten ρ until a cluster verifies.
  let rhoMissed: number | null = null;
  while (!verifiedFinal) {
    if (iterations.length >= maxIterations) {
      return finish(
        false,
        'iteration_cap',
        `iteration cap ${maxIterations} reached without meeting scale ${k}`,
      );
    }
    const r = (await step('tighten'))!;
    if ('failed' in r) return finish(false, r.failed.limit, r.failed.message);
    if (r.met) break;
    rhoMissed = rho;
    stall = r.cached ? stall + 1 : 0;
    if (stall >= LOOP_DEFAULTS.stallLimit) {
      return finish(
        false,
        'stalled',
        `ρ tightening no longer changes the cluster (${stall} iterations returned clusters already simulated); ` +
          `the miss is not utilization: try a smaller --latency-share`,
      );
    }
    if (rho <= rhoFloor + 1e-12) {
      return finish(
        false,
        'rho_floor',
        `utilization cap reached its floor ρ = ${rhoFloor} without meeting scale ${k}`,
      );
    }
    const factor = Math.min(0.9, Math.max(0.5, (k - 1) / Math.max(1e-9, r.scale - 1)));
    rho = Math.max(rhoFloor, rho * factor);
  }

  // Phase 2 (min-cost): bisect ρ between the last miss and the verified cap. Tightening by a
  // factor can step past cheaper clusters that would also verify; a decision at a looser cap is
  // simulated only when it is cheaper than the verified one, and kept only when it verifies.
  let rhoOk = rho;
  const refineLimit = maxIterations + (options.refineSteps ?? LOOP_DEFAULTS.refineSteps);
  let steps = 0;
  while (
    objective === 'min-cost' &&
    rhoMissed !== null &&
    rhoMissed - rhoOk > 0.01 &&
    steps < (options.refineSteps ?? LOOP_DEFAULTS.refineSteps) &&
    iterations.length < refineLimit
  ) {
    steps++;
    rho = (rhoOk + rhoMissed) / 2;
    const r = await step('refine', final!.costPerHour);
    if (r === null) rhoOk = rho;
    else if ('failed' in r || !r.met) rhoMissed = rho;
    else rhoOk = rho;
  }
  const f = final!;
  return finish(
    true,
    'verified',
    `verified: simulated scale ${round(f.scale, 4)} ≤ ${k} at q=${options.quantile}`,
  );
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
