import type { Cluster } from '../schema/cluster.ts';
import type { Workload } from '../schema/workload.ts';
import { yieldToEventLoop } from '../util/eventLoop.ts';
import { scaleLoad } from './classes.ts';
import { buildProvisionedCluster, countsByGpu, countsLabel, gpuCount } from './cluster.ts';
import type { PlanContext } from './context.ts';
import type { InstanceType } from './types.ts';
import { simulatedScaleIn, type Verifier } from './verifyCluster.ts';

/** One simulated cluster: a candidate answer when it meets the target. */
export interface Candidate {
  counts: number[];
  costPerHour: number;
  gpus: number;
  rateMultiplier: number;
  /** Required scale at the quantile in the verifier's mode. */
  scale: number;
  met: boolean;
  /** The search that simulated it first: `closed-loop`, `homogeneous:<gpu>`, `no-pd`, `local-search`. */
  foundBy: string;
}

export interface PoolOptions {
  verifier: Verifier;
  /** Required scale at the quantile. */
  scale: number;
  onProgress?: (message: string) => void;
  /** Called whenever the cheapest verified candidate changes (Ctrl-C prints the last one). */
  onBest?: (best: Candidate, cluster: Cluster) => void;
}

/**
 * Every cluster any search simulates goes through one pool: each count vector is simulated
 * once (memo), every verified one is a candidate, and the answer is the cheapest candidate
 * (ties: fewest GPUs, then first found), whichever search found it. It also keeps the clusters
 * that missed, for dominance pruning, and the timings behind the progress ETA.
 */
export class CandidatePool {
  readonly types: InstanceType[];
  readonly failed: number[][] = [];
  private readonly seen = new Map<string, Candidate>();
  private best: Candidate | null = null;
  private simulationsDone = 0;
  private readonly startMs = Date.now();
  /** Simulations the remaining phases may still spend (caps): the ETA's upper estimate. */
  budgetLeft = 0;

  constructor(
    readonly ctx: PlanContext,
    readonly options: PoolOptions,
  ) {
    this.types = ctx.demand.table.types;
  }

  get simulations(): number {
    return this.simulationsDone;
  }

  costOf(counts: readonly number[]): number {
    return counts.reduce((s, n, t) => s + n * this.types[t]!.costPerHour, 0);
  }

  cluster(counts: number[], name = 'provisioned'): Cluster {
    return buildProvisionedCluster(this.types, counts, this.ctx.setup, name);
  }

  workloadAt(rateMultiplier: number): Workload {
    return scaleLoad(this.ctx.workload, rateMultiplier);
  }

  lookup(counts: readonly number[], rateMultiplier = 1): Candidate | undefined {
    return this.seen.get(key(counts, rateMultiplier));
  }

  /** True when a cluster with no more of any type than `counts` already missed (monotonicity, assumed). */
  dominatedByFailure(counts: readonly number[]): boolean {
    return this.failed.some((f) => counts.every((n, i) => n <= f[i]!));
  }

  /**
   * Simulates the cluster (once per count vector and load) in the verifier's mode. Yields to
   * the event loop first, so a Ctrl-C handler can run between simulations.
   */
  async evaluate(
    counts: number[],
    foundBy: string,
    rateMultiplier = 1,
  ): Promise<Candidate & { cached: boolean }> {
    const k = key(counts, rateMultiplier);
    const hit = this.seen.get(k);
    if (hit) return { ...hit, cached: true };
    await yieldToEventLoop();
    const cluster = this.cluster(counts);
    const scale = simulatedScaleIn(
      this.workloadAt(rateMultiplier),
      cluster,
      this.ctx.setup,
      this.options.verifier,
    );
    this.simulationsDone++;
    this.budgetLeft = Math.max(0, this.budgetLeft - 1);
    const cand: Candidate = {
      counts: counts.slice(),
      costPerHour: this.costOf(counts),
      gpus: gpuCount(this.types, counts),
      rateMultiplier,
      scale,
      met: scale <= this.options.scale + 1e-9,
      foundBy,
    };
    this.seen.set(k, cand);
    if (!cand.met) this.failed.push(cand.counts);
    else if (rateMultiplier === 1 && (this.best === null || cheaper(cand, this.best))) {
      this.best = cand;
      this.options.onBest?.(cand, cluster);
    }
    return { ...cand, cached: false };
  }

  gpusOf(counts: readonly number[]): number {
    return gpuCount(this.types, counts as number[]);
  }

  /** Verified clusters at the workload's own load, over every search. */
  verifiedCount(): number {
    let n = 0;
    for (const c of this.seen.values()) if (c.met && c.rateMultiplier === 1) n++;
    return n;
  }

  /** Every cluster simulated at the workload's own load, in the order first simulated. */
  simulatedAtLoad(): Candidate[] {
    return [...this.seen.values()].filter((c) => c.rateMultiplier === 1);
  }

  /** The cheapest verified candidate at the workload's own load. */
  cheapest(): Candidate | null {
    return this.best;
  }

  say(message: string): void {
    const say = this.options.onProgress;
    if (!say) return;
    const elapsed = (Date.now() - this.startMs) / 1000;
    // Wall time per simulation so far, solves included: the phases left spend theirs alike.
    const per = this.simulationsDone > 0 ? elapsed / this.simulationsDone : 0;
    const eta = per > 0 && this.budgetLeft > 0 ? `, ETA ≤ ${Math.ceil(per * this.budgetLeft)} s` : '';
    const best = this.best
      ? `, best verified ${countsLabel(countsByGpu(this.types, this.best.counts))} $${this.best.costPerHour.toFixed(2)}/h`
      : '';
    say(`[${elapsed.toFixed(0)} s, ${this.simulationsDone} simulations${eta}${best}] ${message}`);
  }
}

/** Cheaper, or as cheap with fewer GPUs. */
export function cheaper(
  a: Pick<Candidate, 'costPerHour' | 'gpus'>,
  b: Pick<Candidate, 'costPerHour' | 'gpus'>,
): boolean {
  if (a.costPerHour < b.costPerHour - 1e-9) return true;
  return Math.abs(a.costPerHour - b.costPerHour) <= 1e-9 && a.gpus < b.gpus;
}

function key(counts: readonly number[], rateMultiplier: number): string {
  return `${counts.join(',')}@${rateMultiplier.toFixed(6)}`;
}
