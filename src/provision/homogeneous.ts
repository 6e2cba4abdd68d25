import { buildProvisionedCluster } from './cluster.ts';
import type { PlanContext } from './context.ts';
import { round } from './loop.ts';
import { simulatedScale } from './verifyCluster.ts';

export interface HomogeneousResult {
  gpu: string;
  /** {prefill: n, decode: n} or {mixed: n} instances, null when no size within the search bounds met the target. */
  counts: Record<string, number> | null;
  gpus: number | null;
  cost_per_hour: number | null;
  simulated_scale: number | null;
  realistic_scale: number | null;
  /** Clusters simulated in the search. */
  simulations: number;
  /** Why the search stopped without an answer. */
  note?: string;
}

interface Candidate {
  p: number;
  d: number;
  m: number;
  gpus: number;
  cost: number;
}

export interface HomogeneousOptions {
  quantile: number;
  scale: number;
  /** Most instances per role tried (default 48). */
  maxPerRole?: number;
  /** Most simulations per GPU type (default 60). */
  maxSimulations?: number;
}

/**
 * The cheapest cluster of one GPU type meeting the target, by simulation: PD-disaggregated
 * (prefill, decode) instance counts and all-mixed counts are tried in increasing cost (ties:
 * the more balanced split first), skipping any shape dominated by one of the same kind that
 * already missed, on the assumption, stated
 * and not proven for an online policy, that adding instances never raises the required scale.
 * Bounded by availability, `maxPerRole` and `maxSimulations`.
 */
export function cheapestHomogeneous(
  ctx: PlanContext,
  gpu: string,
  options: HomogeneousOptions,
): HomogeneousResult {
  const types = ctx.demand.table.types;
  const models = [...new Set(types.map((t) => t.model))];
  const empty = (note: string, simulations = 0): HomogeneousResult => ({
    gpu,
    counts: null,
    gpus: null,
    cost_per_hour: null,
    simulated_scale: null,
    realistic_scale: null,
    simulations,
    note,
  });
  if (models.length !== 1) return empty('homogeneous search supports single-model workloads only');
  const pre = types.find((t) => t.gpu === gpu && t.role === 'prefill');
  const dec = types.find((t) => t.gpu === gpu && t.role === 'decode');
  const mix = types.find((t) => t.gpu === gpu && t.role === 'mixed');
  if (!(pre && dec) && !mix) return empty('the catalog allows no instances of this GPU for the model');
  const available = ctx.setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
  const maxPerRole = options.maxPerRole ?? 48;
  const maxSimulations = options.maxSimulations ?? 60;
  // Shapes: p prefill + d decode instances (p, d ≥ 1), or m mixed instances alone.
  const candidates: Candidate[] = [];
  const fits = (gpus: number) => available === null || gpus <= available;
  if (pre && dec) {
    for (let p = 1; p <= maxPerRole; p++) {
      for (let d = 1; d <= maxPerRole; d++) {
        const gpus = p * pre.tp + d * dec.tp;
        if (fits(gpus))
          candidates.push({ p, d, m: 0, gpus, cost: p * pre.costPerHour + d * dec.costPerHour });
      }
    }
  }
  if (mix) {
    for (let m = 1; m <= maxPerRole; m++) {
      if (fits(m * mix.tp)) candidates.push({ p: 0, d: 0, m, gpus: m * mix.tp, cost: m * mix.costPerHour });
    }
  }
  if (candidates.length === 0) return empty(`availability (${available} GPUs) allows no cluster`);
  candidates.sort(
    (a, b) => a.cost - b.cost || Math.abs(a.p - a.d) - Math.abs(b.p - b.d) || a.m - b.m || a.p - b.p,
  );
  const failed: Candidate[] = [];
  let simulations = 0;
  for (const cand of candidates) {
    const dominated = failed.some((f) =>
      cand.m > 0 ? f.m >= cand.m : f.m === 0 && f.p >= cand.p && f.d >= cand.d,
    );
    if (dominated) continue;
    if (simulations >= maxSimulations) return empty(`simulation cap ${maxSimulations} reached`, simulations);
    const counts = types.map((t) => (t === pre ? cand.p : t === dec ? cand.d : t === mix ? cand.m : 0));
    const cluster = buildProvisionedCluster(types, counts, ctx.setup, `homogeneous-${gpu}`);
    simulations++;
    const exactOnly = simulatedScale(ctx.workload, cluster, ctx.setup, options.quantile, false);
    if (exactOnly.exact > options.scale + 1e-9) {
      failed.push(cand);
      continue;
    }
    const sim = simulatedScale(ctx.workload, cluster, ctx.setup, options.quantile, true);
    const shape: Record<string, number> =
      cand.m > 0 ? { mixed: cand.m } : { prefill: cand.p, decode: cand.d };
    return {
      gpu,
      counts: shape,
      gpus: cand.gpus,
      cost_per_hour: round(cand.cost, 6),
      simulated_scale: round(sim.exact, 4),
      realistic_scale: sim.realistic === null ? null : round(sim.realistic, 4),
      simulations,
    };
  }
  return empty(
    available !== null
      ? `no split within availability (${available} GPUs) met the target`
      : `no split up to ${maxPerRole} instances per role met the target`,
    simulations,
  );
}
