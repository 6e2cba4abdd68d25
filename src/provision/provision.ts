import { HexplanError } from '../errors.ts';
import type { Cluster, MixedTimeshare } from '../schema/cluster.ts';
import type { SimMode } from '../schema/simMode.ts';
import type { Workload } from '../schema/workload.ts';
import { type Candidate, CandidatePool } from './candidates.ts';
import { countsByGpu } from './cluster.ts';
import { type PlanContext, planContext } from './context.ts';
import { costFloor } from './floor.ts';
import { describeRuledOut, liftFloor } from './floorClusters.ts';
import { cheapestHomogeneous, type HomogeneousResult } from './homogeneous.ts';
import { localSearch } from './localSearch.ts';
import { closedLoop, LOOP_DEFAULTS, type LoopIteration, type LoopOptions, round } from './loop.ts';
import { loadProvisionSetup, type ProvisionSetup } from './offers.ts';
import { explainRoles } from './roles.ts';
import { type LoadShape, sustainedLoad } from './sustain.ts';
import type { ProvisionObjective } from './types.ts';
import { simulatedScale, simulatedScaleIn } from './verifyCluster.ts';

export interface ProvisionOptions extends LoopOptions {
  /** Provisioning or GPU catalog file; default models/catalog-provision.json. */
  catalogFile?: string;
  setup?: ProvisionSetup;
  /** Overrides the catalog's `mixed_timeshare` (ProvisionSetup.mixedTimeshare). */
  mixedTimeShare?: MixedTimeshare;
  /** Load multiplier: arrivals compressed to arrival_s / m (then tiled, see `horizonS`). */
  rateMultiplier?: number;
  /**
   * Tile the (compressed) workload until its arrivals span this many seconds; default, when
   * the multiplier is above 1, the workload's own span, so the load is sustained as long as the
   * trace was. `null`: no tiling (a burst).
   */
  horizonS?: number | null;
  maxClasses?: number;
  /** Homogeneous and no-PD baselines (default true). */
  baselines?: boolean;
  /** Simulator mode of every verification (default realistic) and its policy (default hexagent). */
  mode?: SimMode;
  policy?: string;
  /** Most simulations of the local search after the searches (default 30). */
  localSearchSimulations?: number;
  /** Most simulations per homogeneous baseline (default 40). */
  homogeneousSimulations?: number;
  /** Compute the cost floor (default true). */
  floor?: boolean;
  /** Name of the workload, for the report. */
  workloadName?: string;
  onProgress?: (message: string) => void;
  /** The cheapest verified cluster so far, whenever it changes (for Ctrl-C). */
  onBest?: (
    best: { costPerHour: number; gpus: number; foundBy: string; scale: number },
    cluster: Cluster,
  ) => void;
}

export interface NoPdBaseline {
  verified: boolean;
  meets_target: boolean;
  stop_reason: string;
  counts: Record<string, Record<string, number>> | null;
  gpus: number | null;
  cost_per_hour: number | null;
  simulated_scale: number | null;
  exact_scale: number | null;
  realistic_scale: number | null;
  iterations: number;
}

export interface ProvisionReport {
  workload: string;
  objective: ProvisionObjective;
  /** Simulator mode every candidate was verified in. */
  mode: SimMode;
  quantile: number;
  scale: number;
  rate_multiplier: number;
  load: LoadShape;
  /** max-rate: μ of the final decision (load it sustains on top of rate_multiplier); else 1. */
  sustained_rate_multiplier: number;
  budget_per_hour: number | null;
  latency_share: number;
  verified: boolean;
  stop_reason: string;
  message: string;
  /** The search whose simulation found the answer: closed-loop, homogeneous:<gpu>, no-pd, local-search. */
  found_by: string | null;
  /** True when no cheaper neighbour verifies (see local_search). */
  locally_minimal: boolean;
  local_search: { simulations: number; accepted: number; note: string | null } | null;
  /** Instances per GPU and role of the answer. */
  counts: Record<string, Record<string, number>>;
  gpus: number;
  cost_per_hour: number;
  /** No catalog cluster costing less meets the target in realistic mode (floor.ts); null when not computed. */
  cost_lower_bound: number | null;
  cost_lower_bound_source: string | null;
  /** cost_per_hour / cost_lower_bound − 1: how far the answer can be from the cheapest. */
  gap: number | null;
  /** max-rate: no cluster within the budget meets the target at a load multiplier above this. */
  rate_upper_bound: number | null;
  /** One line: P:D ratio and what each role is for. */
  roles: string;
  /**
   * The closed loop's cheapest verified MILP decision and its LP relaxation (fractional
   * counts at its ρ): a lower bound on that MILP only, not on the cheapest cluster.
   */
  milp_cost_per_hour: number | null;
  lp_cost_per_hour: number | null;
  simulated: {
    mode: SimMode;
    policy: string;
    quantile: number;
    /** Required scale in `mode`. */
    scale: number;
    exact_scale: number | null;
    realistic_scale: number | null;
    /** How mixed instances shared one GPU between prefill and decode (cluster `mixed_timeshare`). */
    mixed_timeshare: MixedTimeshare;
    /**
     * The answer's realistic scale with its mixed instances sharing their GPU by chunked prefill;
     * null when it has none or was simulated so.
     */
    chunked_prefill_scale: number | null;
  };
  /** Verified candidates over all searches and clusters simulated. */
  candidates: number;
  simulations: number;
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
  /** (baseline − answer) / baseline × 100, per homogeneous GPU and for `no_pd`: never negative. */
  savings_pct: Record<string, number | null>;
}

export interface ProvisionOutcome {
  report: ProvisionReport;
  /** The answer's cluster (verified when report.verified). */
  cluster: Cluster;
  /** Every cluster simulated at the workload's own load (candidates and misses), for --csv. */
  simulated: Array<{
    counts: Record<string, Record<string, number>>;
    gpus: number;
    cost_per_hour: number;
    scale: number;
    meets_target: boolean;
    found_by: string;
  }>;
}

/**
 * The catalog's setup, its `mixed_timeshare` overridden by `mixedTimeShare` when given: the
 * clusters built from it, verification, the floor and the MILP all see the same choice.
 */
function provisionSetup(options: ProvisionOptions): ProvisionSetup {
  const setup = options.setup ?? loadProvisionSetup(options.catalogFile);
  return options.mixedTimeShare === undefined ? setup : { ...setup, mixedTimeshare: options.mixedTimeShare };
}

function prepare(workload: Workload, options: ProvisionOptions, setup: ProvisionSetup) {
  const m = options.rateMultiplier ?? 1;
  const horizon = options.horizonS === undefined ? (m > 1 ? spanOf(workload) : null) : options.horizonS;
  const load = sustainedLoad(workload, m, horizon);
  const ctx = planContext(load.workload, setup, {
    maxClasses: options.maxClasses,
    quantile: options.quantile,
  });
  return { ctx, shape: load.shape };
}

function spanOf(workload: Workload): number {
  const a = workload.workflows.map((w) => w.arrival_s);
  return Math.max(...a) - Math.min(...a);
}

function makePool(ctx: PlanContext, options: ProvisionOptions): CandidatePool {
  return new CandidatePool(ctx, {
    verifier: {
      mode: options.mode ?? 'realistic',
      policy: options.policy ?? 'hexagent',
      quantile: options.quantile,
    },
    scale: options.scale,
    onProgress: options.onProgress,
    onBest: options.onBest
      ? (c, cluster) =>
          options.onBest!(
            { costPerHour: c.costPerHour, gpus: c.gpus, foundBy: c.foundBy, scale: c.scale },
            cluster,
          )
      : undefined,
  });
}

/**
 * `hexplan provision`: every search (closed loop, homogeneous baselines, no-PD) feeds one pool
 * of simulated clusters; the answer is the cheapest that meets the target, improved by local
 * search, beside the cost floor no catalog cluster can beat. Throws HexplanError when the MILP
 * has no solution at all (naming the binding limit) and nothing else verified.
 */
export async function provision(workload: Workload, options: ProvisionOptions): Promise<ProvisionOutcome> {
  const setup = provisionSetup(options);
  const { ctx, shape } = prepare(workload, options, setup);
  const pool = makePool(ctx, options);
  const objective = options.objective ?? 'min-cost';
  const baselines = (options.baselines ?? true) && objective === 'min-cost';
  const homSims = options.homogeneousSimulations ?? 40;
  const lsSims = options.localSearchSimulations ?? 30;
  const loopSims =
    (options.maxIterations ?? LOOP_DEFAULTS.maxIterations) +
    (options.refineSteps ?? LOOP_DEFAULTS.refineSteps);
  const hasMixed = setup.roles.includes('mixed');
  pool.budgetLeft =
    loopSims +
    (baselines ? homSims * ctx.purchasable.length + (hasMixed ? loopSims : 0) : 0) +
    (objective === 'min-cost' ? lsSims : 0);
  pool.say(
    `closed loop: ${ctx.demand.classes.length} classes, ${ctx.demand.table.types.length} instance types, ${shape.workflows} workflows`,
  );
  const loop = await closedLoop(pool, { ...options, clusterName: options.clusterName ?? 'provisioned' });
  pool.budgetLeft = Math.max(pool.budgetLeft, baselines ? homSims * ctx.purchasable.length : 0);

  const homogeneous: HomogeneousResult[] = [];
  let noPd: NoPdBaseline | null = null;
  if (baselines) {
    for (const gpu of ctx.purchasable)
      homogeneous.push(await cheapestHomogeneous(pool, gpu, { maxSimulations: homSims }));
    if (hasMixed) {
      pool.say('no-PD baseline (mixed instances only)');
      const np = await closedLoop(pool, {
        ...options,
        roles: new Set(['mixed']),
        foundBy: 'no-pd',
        clusterName: 'no-pd',
      });
      noPd = noPdReport(pool, np);
    }
  }

  let answer: Candidate | null = objective === 'min-cost' ? pool.cheapest() : null;
  let ls: ProvisionReport['local_search'] = null;
  let locallyMinimal = false;
  if (answer) {
    pool.budgetLeft = lsSims;
    pool.say('local search from the cheapest verified cluster');
    const r = await localSearch(pool, answer, lsSims);
    answer = r.best;
    locallyMinimal = r.locallyMinimal;
    ls = { simulations: r.simulations, accepted: r.accepted, note: r.note ?? null };
  }
  if (!answer && !loop.final) throw new HexplanError(`provision: ${loop.message}`);
  const types = ctx.demand.table.types;
  const counts = answer ? answer.counts : loop.final!.counts;
  const verified = answer !== null ? true : loop.verified;
  const rateMultiplier = answer ? 1 : loop.final!.rateMultiplier;
  const cluster = pool.cluster(counts, options.clusterName ?? 'provisioned');
  const answerLoad = pool.workloadAt(rateMultiplier);
  const sim = simulatedScale(answerLoad, cluster, setup, pool.options.verifier, true);
  const cost = pool.costOf(counts);
  // Mixed instances not simulated sharing their GPU: what an engine with chunked prefill makes of them.
  const answerHasMixed = counts.some((n, i) => n > 0 && types[i]!.role === 'mixed');
  const chunkedScale =
    answerHasMixed && setup.mixedTimeshare !== 'chunked'
      ? simulatedScaleIn(
          answerLoad,
          { ...cluster, mixed_timeshare: 'chunked' },
          setup,
          pool.options.verifier,
          'realistic',
        )
      : null;

  let floor: Awaited<ReturnType<typeof costFloor>> | null = null;
  let rateCeiling: number | null = null;
  if (options.floor ?? true) {
    // No simulation is left: the ETA, a rate of simulations, would say nothing about the LPs.
    pool.budgetLeft = 0;
    pool.say('cost floor (realistic-mode relaxation)');
    const floorOptions = {
      quantile: options.quantile,
      scale: options.scale,
      solver: options.solver,
      timeLimitS: options.timeLimitS,
      onProgress: (message: string) => pool.say(`cost floor: ${message}`),
    };
    if (objective === 'min-cost') {
      floor = await costFloor(ctx, floorOptions);
      if (verified && floor.costPerHour < cost) {
        pool.say('cost floor: ruling out the clusters at its cost, one LP each');
        const from = floor.costPerHour;
        const lifted = await liftFloor(ctx, from, { ...floorOptions, below: cost });
        floor = {
          ...floor,
          costPerHour: lifted.costPerHour,
          source:
            `${floor.source}; then lifted from $${from.toFixed(2)}/h to $${lifted.costPerHour.toFixed(2)}/h: ` +
            `${lifted.ruledOut} catalog cluster${lifted.ruledOut === 1 ? '' : 's'} costing less ruled out one by one ` +
            `by the realistic gap LP on the cluster itself${describeRuledOut(lifted)} ` +
            `(src/provision/floorClusters.ts; stopped: ${lifted.stop})`,
        };
      }
    } else {
      const at = (mu: number) =>
        costFloor(
          prepare(
            workload,
            { ...options, rateMultiplier: (options.rateMultiplier ?? 1) * mu, horizonS: null },
            setup,
          ).ctx,
          { ...floorOptions, perSet: false },
        );
      floor = await at(rateMultiplier);
      rateCeiling = await rateUpperBound(
        at,
        rateMultiplier,
        options.budgetPerHour ?? Number.POSITIVE_INFINITY,
      );
    }
  }
  const floorCost = floor && Number.isFinite(floor.costPerHour) ? floor.costPerHour : null;
  const savings: Record<string, number | null> = {};
  const pct = (base: number | null) =>
    verified && base !== null && base > 0 ? round(((base - cost) / base) * 100, 2) : null;
  for (const h of homogeneous) savings[h.gpu] = pct(h.cost_per_hour);
  if (noPd) savings.no_pd = pct(noPd.meets_target ? noPd.cost_per_hour : null);
  const chosen = milpDecision(loop.iterations);
  const tp: Record<string, Record<string, number>> = {};
  for (const t of types) (tp[t.gpu] ??= {})[t.role] = t.tp;
  const verifiedCount = pool.verifiedCount();
  const report: ProvisionReport = {
    workload: options.workloadName ?? workload.name ?? 'workload',
    objective,
    mode: pool.options.verifier.mode,
    quantile: options.quantile,
    scale: options.scale,
    rate_multiplier: options.rateMultiplier ?? 1,
    load: shape,
    sustained_rate_multiplier: round(rateMultiplier, 6),
    budget_per_hour: options.budgetPerHour ?? null,
    latency_share: options.latencyShare ?? LOOP_DEFAULTS.latencyShare,
    verified,
    stop_reason: verified ? 'verified' : loop.stopReason,
    message: answer
      ? `verified: simulated scale ${round(sim.scale, 4)} ≤ ${options.scale} at q=${options.quantile} (${pool.options.verifier.mode}, ${pool.options.verifier.policy})`
      : loop.message,
    found_by: answer ? answer.foundBy : loop.verified ? 'closed-loop' : null,
    locally_minimal: locallyMinimal,
    local_search: ls,
    counts: countsByGpu(types, counts),
    gpus: pool.gpusOf(counts),
    cost_per_hour: round(cost, 6),
    cost_lower_bound: floorCost === null ? null : round(floorCost, 6),
    cost_lower_bound_source: floor ? floor.source : null,
    gap:
      floorCost !== null && floorCost > 0 && objective === 'min-cost' && verified
        ? round(cost / floorCost - 1, 6)
        : null,
    rate_upper_bound: rateCeiling === null ? null : round(rateCeiling, 6),
    roles: explainRoles(types, counts),
    milp_cost_per_hour: chosen?.cost_per_hour ?? null,
    lp_cost_per_hour: chosen?.lp_cost_per_hour ?? null,
    simulated: {
      mode: pool.options.verifier.mode,
      policy: pool.options.verifier.policy,
      quantile: options.quantile,
      scale: round(sim.scale, 4),
      exact_scale: sim.exact === null ? null : round(sim.exact, 4),
      realistic_scale: sim.realistic === null ? null : round(sim.realistic, 4),
      mixed_timeshare: setup.mixedTimeshare,
      chunked_prefill_scale: chunkedScale === null ? null : round(chunkedScale, 4),
    },
    candidates: verifiedCount,
    simulations: pool.simulations,
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
  const simulated = pool.simulatedAtLoad().map((c) => ({
    counts: countsByGpu(types, c.counts),
    gpus: c.gpus,
    cost_per_hour: round(c.costPerHour, 6),
    scale: round(c.scale, 4),
    meets_target: c.met,
    found_by: c.foundBy,
  }));
  return { report, cluster, simulated };
}

/**
 * Max-rate's ceiling: the cost floor grows with the load multiplier (windows shrink, work
 * stays), so the least multiplier whose floor exceeds the budget is proven out of reach. Doubling
 * then 3 bisection steps from the verified multiplier, each floor the single relaxation over all
 * GPU types (perSet false: valid, looser, one solve); null when even 16× fits the floor.
 */
async function rateUpperBound(
  floorAt: (mu: number) => Promise<{ costPerHour: number }>,
  verifiedMu: number,
  budget: number,
): Promise<number | null> {
  let lo = Math.max(verifiedMu, 1e-6);
  let hi = lo * 2;
  while ((await floorAt(hi)).costPerHour <= budget) {
    lo = hi;
    hi *= 2;
    if (hi > verifiedMu * 16) return null;
  }
  for (let i = 0; i < 3; i++) {
    const mid = (lo + hi) / 2;
    if ((await floorAt(mid)).costPerHour <= budget) lo = mid;
    else hi = mid;
  }
  return hi;
}

function noPdReport(pool: CandidatePool, loop: Awaited<ReturnType<typeof closedLoop>>): NoPdBaseline {
  const types = pool.types;
  const f = loop.final;
  const sim =
    f && loop.verified
      ? simulatedScale(pool.workloadAt(1), f.cluster, pool.ctx.setup, pool.options.verifier, true)
      : null;
  return {
    verified: loop.verified,
    meets_target: loop.verified,
    stop_reason: loop.stopReason,
    counts: f ? countsByGpu(types, f.counts) : null,
    gpus: f ? pool.gpusOf(f.counts) : null,
    cost_per_hour: f && loop.verified ? round(f.costPerHour, 6) : null,
    simulated_scale: f ? round(f.scale, 4) : null,
    exact_scale: sim?.exact === null || !sim ? null : round(sim.exact, 4),
    realistic_scale: sim?.realistic === null || !sim ? null : round(sim.realistic, 4),
    iterations: loop.iterations.length,
  };
}

/** The cheapest verified MILP iteration, else the last MILP iteration. */
function milpDecision(iterations: LoopIteration[]): LoopIteration | undefined {
  const met = iterations.filter((it) => it.met).sort((a, b) => a.cost_per_hour - b.cost_per_hour);
  return met[0] ?? iterations[iterations.length - 1];
}

export interface SweepPoint {
  rate_multiplier: number;
  /** Copies of the workload tiled for this point and the kind of load (sustain.ts). */
  load: LoadShape;
  verified: boolean;
  stop_reason: string;
  found_by: string | null;
  cost_per_hour: number | null;
  cost_lower_bound: number | null;
  lp_cost_per_hour: number | null;
  gpus: number | null;
  counts: Record<string, Record<string, number>> | null;
  simulated_scale: number | null;
  iterations: number;
}

/**
 * Cost versus load: at each multiplier, the workload tiled to the same horizon (the original
 * span unless `horizonS` says otherwise, `null` for bursts), the closed loop and local search
 * (no baselines), and the floor.
 */
export async function provisionSweep(
  workload: Workload,
  rateMultipliers: number[],
  options: ProvisionOptions,
): Promise<SweepPoint[]> {
  const setup = provisionSetup(options);
  const horizonS = options.horizonS === undefined ? spanOf(workload) : options.horizonS;
  const out: SweepPoint[] = [];
  for (const m of rateMultipliers) {
    options.onProgress?.(`sweep: rate multiplier ${m}`);
    let r: ProvisionReport | null = null;
    let error: string | null = null;
    try {
      r = (await provision(workload, { ...options, setup, rateMultiplier: m, horizonS, baselines: false }))
        .report;
    } catch (e) {
      if (!(e instanceof HexplanError)) throw e;
      error = e.message;
    }
    const shape = r?.load ?? sustainedLoad(workload, m, horizonS).shape;
    out.push({
      rate_multiplier: m,
      load: shape,
      verified: r?.verified ?? false,
      stop_reason: r?.stop_reason ?? error ?? 'failed',
      found_by: r?.found_by ?? null,
      cost_per_hour: r?.verified ? r.cost_per_hour : null,
      cost_lower_bound: r?.cost_lower_bound ?? null,
      lp_cost_per_hour: r?.lp_cost_per_hour ?? null,
      gpus: r?.verified ? r.gpus : null,
      counts: r?.verified ? r.counts : null,
      simulated_scale: r?.simulated.scale ?? null,
      iterations: r?.iterations.length ?? 0,
    });
  }
  return out;
}
