import { HexplanError } from '../errors.ts';
import type { Cluster } from '../schema/cluster.ts';
import type { Workload } from '../schema/workload.ts';
import { scaleLoad } from './classes.ts';
import { countsByGpu, gpuCount } from './cluster.ts';
import { type PlanContext, planContext } from './context.ts';
import { cheapestHomogeneous, type HomogeneousResult } from './homogeneous.ts';
import {
  closedLoop,
  LOOP_DEFAULTS,
  type LoopIteration,
  type LoopOptions,
  type LoopResult,
  round,
} from './loop.ts';
import { loadProvisionSetup, type ProvisionSetup } from './offers.ts';

export interface ProvisionOptions extends LoopOptions {
  /** Provisioning or GPU catalog file; default models/catalog-provision.json. */
  catalogFile?: string;
  setup?: ProvisionSetup;
  /** Load multiplier: arrivals compressed to arrival_s / m. */
  rateMultiplier?: number;
  maxClasses?: number;
  /** Homogeneous and no-PD baselines (default true). */
  baselines?: boolean;
  /** Name of the workload, for the report. */
  workloadName?: string;
  onProgress?: (message: string) => void;
}

export interface NoPdBaseline {
  verified: boolean;
  stop_reason: string;
  counts: Record<string, Record<string, number>> | null;
  gpus: number | null;
  cost_per_hour: number | null;
  simulated_scale: number | null;
  iterations: number;
}

export interface ProvisionReport {
  workload: string;
  objective: string;
  quantile: number;
  scale: number;
  rate_multiplier: number;
  /** max-rate: μ of the final decision (load it sustains on top of rate_multiplier); else 1. */
  sustained_rate_multiplier: number;
  budget_per_hour: number | null;
  latency_share: number;
  verified: boolean;
  stop_reason: string;
  message: string;
  /** Instances per GPU and role of the final decision. */
  counts: Record<string, Record<string, number>>;
  gpus: number;
  cost_per_hour: number;
  /**
   * The MILP's verified decision the answer came from (before trim steps), and its LP relaxation
   * (fractional counts): a lower bound on that MILP's integer cost at its ρ. The trimmed answer
   * can be cheaper than both: the MILP sizes by average rates, the simulator has the last word.
   */
  milp_cost_per_hour: number | null;
  lp_cost_per_hour: number | null;
  simulated: {
    quantile: number;
    scale: number;
    realistic_scale: number | null;
    policy: string;
    mode: string;
  };
  iterations: LoopIteration[];
  model: {
    classes: number;
    instance_types: number;
    route_pairs: number;
    span_s: number;
    tp: Record<string, Record<string, number>>;
  };
  classes: Array<{
    id: string;
    calls: number;
    rate_per_s: number;
    input_tokens: { min: number; mean: number; max: number };
    output_tokens: { min: number; mean: number; max: number };
  }>;
  homogeneous: HomogeneousResult[];
  no_pd: NoPdBaseline | null;
  /** (baseline − heterogeneous) / baseline × 100, per homogeneous GPU and for `no_pd`. */
  savings_pct: Record<string, number | null>;
}

export interface ProvisionOutcome {
  report: ProvisionReport;
  /** The cluster of the final decision (verified when report.verified). */
  cluster: Cluster;
}

function contextFor(workload: Workload, options: ProvisionOptions, setup: ProvisionSetup): PlanContext {
  return planContext(scaleLoad(workload, options.rateMultiplier ?? 1), setup, {
    maxClasses: options.maxClasses,
    quantile: options.quantile,
  });
}

/**
 * `hexplan provision`: the closed loop on the workload, then the baselines beside it.
 * Throws HexplanError when the MILP has no solution at all (naming the binding limit).
 */
export async function provision(workload: Workload, options: ProvisionOptions): Promise<ProvisionOutcome> {
  const setup = options.setup ?? loadProvisionSetup(options.catalogFile);
  const say = options.onProgress ?? (() => {});
  const ctx = contextFor(workload, options, setup);
  say(`closed loop: ${ctx.demand.classes.length} classes, ${ctx.demand.table.types.length} instance types`);
  const loop = await closedLoop(ctx, { ...options, clusterName: options.clusterName ?? 'provisioned' });
  if (!loop.final) throw new HexplanError(`provision: ${loop.message}`);
  const homogeneous: HomogeneousResult[] = [];
  let noPd: NoPdBaseline | null = null;
  if (options.baselines ?? true) {
    for (const gpu of ctx.purchasable) {
      say(`homogeneous baseline: ${gpu}`);
      homogeneous.push(cheapestHomogeneous(ctx, gpu, options));
    }
    if (setup.roles.includes('mixed')) {
      say('no-PD baseline (mixed instances only)');
      noPd = await noPdBaseline(workload, options, setup);
    }
  }
  const final = loop.final;
  const cost = final.costPerHour;
  const savings: Record<string, number | null> = {};
  const pct = (base: number | null) =>
    loop.verified && base !== null && base > 0 ? round(((base - cost) / base) * 100, 2) : null;
  for (const h of homogeneous) savings[h.gpu] = pct(h.cost_per_hour);
  if (noPd) savings.no_pd = pct(noPd.verified ? noPd.cost_per_hour : null);
  const chosen = milpDecision(loop.iterations);
  const types = ctx.demand.table.types;
  const tp: Record<string, Record<string, number>> = {};
  for (const t of types) (tp[t.gpu] ??= {})[t.role] = t.tp;
  const report: ProvisionReport = {
    workload: options.workloadName ?? workload.name ?? 'workload',
    objective: options.objective ?? 'min-cost',
    quantile: options.quantile,
    scale: options.scale,
    rate_multiplier: options.rateMultiplier ?? 1,
    sustained_rate_multiplier: round(final.rateMultiplier, 6),
    budget_per_hour: options.budgetPerHour ?? null,
    latency_share: options.latencyShare ?? LOOP_DEFAULTS.latencyShare,
    verified: loop.verified,
    stop_reason: loop.stopReason,
    message: loop.message,
    counts: countsByGpu(types, final.counts),
    gpus: gpuCount(types, final.counts),
    cost_per_hour: round(cost, 6),
    milp_cost_per_hour: chosen?.cost_per_hour ?? null,
    lp_cost_per_hour: chosen?.lp_cost_per_hour ?? null,
    simulated: {
      quantile: options.quantile,
      scale: round(final.simulated.exact, 4),
      realistic_scale: final.simulated.realistic === null ? null : round(final.simulated.realistic, 4),
      policy: 'hexagent',
      mode: 'exact',
    },
    iterations: loop.iterations,
    model: {
      classes: ctx.demand.classes.length,
      instance_types: types.length,
      route_pairs: ctx.demand.table.pairs.length,
      span_s: round(ctx.demand.spanS, 4),
      tp,
    },
    classes: ctx.demand.classes.map((c) => ({
      id: c.id,
      calls: c.calls.length,
      rate_per_s: round(c.ratePerS, 6),
      input_tokens: { ...c.inputTokens, mean: round(c.inputTokens.mean, 2) },
      output_tokens: { ...c.outputTokens, mean: round(c.outputTokens.mean, 2) },
    })),
    homogeneous,
    no_pd: noPd,
    savings_pct: savings,
  };
  return { report, cluster: final.cluster };
}

/** The cheapest verified MILP iteration (not a trim step), else the last MILP iteration. */
function milpDecision(iterations: LoopIteration[]): LoopIteration | undefined {
  const milp = iterations.filter((it) => it.phase !== 'trim');
  const met = milp.filter((it) => it.met).sort((a, b) => a.cost_per_hour - b.cost_per_hour);
  return met[0] ?? milp[milp.length - 1];
}

async function noPdBaseline(
  workload: Workload,
  options: ProvisionOptions,
  setup: ProvisionSetup,
): Promise<NoPdBaseline> {
  const ctx = planContext(scaleLoad(workload, options.rateMultiplier ?? 1), setup, {
    maxClasses: options.maxClasses,
    quantile: options.quantile,
    roles: ['mixed'],
  });
  const loop: LoopResult = await closedLoop(ctx, { ...options, clusterName: 'no-pd' });
  const types = ctx.demand.table.types;
  return {
    verified: loop.verified,
    stop_reason: loop.stopReason,
    counts: loop.final ? countsByGpu(types, loop.final.counts) : null,
    gpus: loop.final ? gpuCount(types, loop.final.counts) : null,
    cost_per_hour: loop.final ? round(loop.final.costPerHour, 6) : null,
    simulated_scale: loop.final ? round(loop.final.simulated.exact, 4) : null,
    iterations: loop.iterations.length,
  };
}

export interface SweepPoint {
  rate_multiplier: number;
  verified: boolean;
  stop_reason: string;
  cost_per_hour: number | null;
  lp_cost_per_hour: number | null;
  gpus: number | null;
  counts: Record<string, Record<string, number>> | null;
  simulated_scale: number | null;
  iterations: number;
}

/** Cost versus load: the closed loop (no baselines) at each rate multiplier. */
export async function provisionSweep(
  workload: Workload,
  rateMultipliers: number[],
  options: ProvisionOptions,
): Promise<SweepPoint[]> {
  const setup = options.setup ?? loadProvisionSetup(options.catalogFile);
  const out: SweepPoint[] = [];
  for (const m of rateMultipliers) {
    options.onProgress?.(`sweep: rate multiplier ${m}`);
    const ctx = contextFor(workload, { ...options, rateMultiplier: m }, setup);
    const loop = await closedLoop(ctx, options);
    const chosen = milpDecision(loop.iterations);
    const types = ctx.demand.table.types;
    out.push({
      rate_multiplier: m,
      verified: loop.verified,
      stop_reason: loop.stopReason,
      cost_per_hour: loop.final ? round(loop.final.costPerHour, 6) : null,
      lp_cost_per_hour: chosen?.lp_cost_per_hour ?? null,
      gpus: loop.final ? gpuCount(types, loop.final.counts) : null,
      counts: loop.final ? countsByGpu(types, loop.final.counts) : null,
      simulated_scale: loop.final ? round(loop.final.simulated.exact, 4) : null,
      iterations: loop.iterations.length,
    });
  }
  return out;
}
