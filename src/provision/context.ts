import type { Role } from '../schema/cluster.ts';
import type { Workload } from '../schema/workload.ts';
import { buildDemand, type DemandModel, problemFor } from './demand.ts';
import { type MixOptions, referenceSets, solveMix } from './mix.ts';
import type { ProvisionSetup } from './offers.ts';
import type { ProvisionProblem } from './types.ts';

/**
 * A workload resolved for provisioning: demand, and one MILP input per reference set, with
 * class eligibility judged at `quantile` of each class's calls (see classRatios).
 */
export interface PlanContext {
  workload: Workload;
  setup: ProvisionSetup;
  demand: DemandModel;
  /** Purchasable GPUs (availability not 0), catalog order. */
  purchasable: string[];
  problem(set: string[]): ProvisionProblem;
}

export function planContext(
  workload: Workload,
  setup: ProvisionSetup,
  options: { maxClasses?: number; roles?: Role[]; quantile?: number } = {},
): PlanContext {
  const s: ProvisionSetup = options.roles ? { ...setup, roles: options.roles } : setup;
  const demand = buildDemand(workload, s, options.maxClasses);
  const cache = new Map<string, ProvisionProblem>();
  return {
    workload,
    setup: s,
    demand,
    purchasable: s.gpus.filter((g) => g.availableGpus !== 0).map((g) => g.name),
    problem(set) {
      const key = set.join('+');
      let p = cache.get(key);
      if (!p) cache.set(key, (p = problemFor(workload, s, demand, new Set(set), options.quantile ?? 1)));
      return p;
    },
  };
}

export function problemsFor(ctx: PlanContext, sets: string[][]): Map<string, ProvisionProblem> {
  return new Map(sets.map((set) => [set.join('+'), ctx.problem(set)]));
}

export interface BindingLimit {
  limit: 'availability' | 'budget' | 'latency' | 'availability+budget';
  message: string;
}

/**
 * Why no plan exists at this ρ: re-solves with a limit lifted to name the one that binds.
 * Latency: some class has no pair within share × k on any GPU at all.
 */
export async function diagnose(
  ctx: PlanContext,
  options: MixOptions,
  target: { scale: number; share: number; quantile: number },
): Promise<BindingLimit> {
  const all = ctx.setup.gpus.map((g) => g.name);
  const what = `scale ${target.scale} at quantile ${target.quantile}`;
  const limits = ctx.setup.gpus
    .filter((g) => g.availableGpus !== null)
    .map((g) => `${g.name}: ${g.availableGpus} GPUs`)
    .join(', ');
  const ignoring = async (o: Partial<MixOptions>) => {
    const sets = referenceSets(o.ignoreAvailability ? all : ctx.purchasable);
    const out = await solveMix(problemsFor(ctx, sets), sets, { ...options, ...o });
    return out.best !== null && (options.objective !== 'max-rate' || out.best.rateMultiplier > 1e-9);
  };
  const unlimited = { ignoreAvailability: true, budgetPerHour: undefined };
  if (!(await ignoring(unlimited))) {
    const full = ctx.problem(all);
    let worst = { id: '', best: Number.POSITIVE_INFINITY };
    ctx.demand.demands.forEach((cls, c) => {
      const best = Math.min(...full.ratio[c]!);
      if (best > options.latencyLimit && (worst.id === '' || best > worst.best)) worst = { id: cls.id, best };
    });
    const cls = ctx.demand.classes.find((x) => x.id === worst.id);
    const detail = cls
      ? `class ${cls.id} (input ≈ ${Math.round(cls.inputTokens.mean)}, output ≈ ${Math.round(cls.outputTokens.mean)} tokens) ` +
        `needs ${worst.best.toFixed(3)}× its standalone call time on the best pair, above the allowed ` +
        `share ${target.share} × ${target.scale} = ${options.latencyLimit.toFixed(3)}; ` +
        `the planner needs --scale ≥ ${(worst.best / target.share).toFixed(2)} (or a larger --latency-share)`
      : `no plan even without availability and budget limits at utilization cap ${options.rho.toFixed(3)}`;
    return { limit: 'latency', message: `no GPU mix can meet ${what}: ${detail}` };
  }
  const withoutAvail = await ignoring({ ignoreAvailability: true });
  if (withoutAvail) {
    return {
      limit: 'availability',
      message:
        `no GPU mix within the availability limits (${limits}) meets ${what} at utilization cap ` +
        `${options.rho.toFixed(3)}; with unlimited GPUs a plan exists`,
    };
  }
  const withoutBudget = await ignoring({ budgetPerHour: undefined });
  if (withoutBudget) {
    return {
      limit: 'budget',
      message: `no GPU mix within the budget of $${options.budgetPerHour}/h meets ${what} at utilization cap ${options.rho.toFixed(3)}`,
    };
  }
  return {
    limit: 'availability+budget',
    message:
      `no GPU mix within the availability limits (${limits}) and the budget of $${options.budgetPerHour}/h ` +
      `meets ${what} at utilization cap ${options.rho.toFixed(3)}; lifting both allows one`,
  };
}
