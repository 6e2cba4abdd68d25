import type { SimMode } from '../../sim/types.ts';
import type { LoadedGrid } from './grid.ts';

/** One run of a sweep; plain data so it can be posted to a worker thread. */
export interface Combo {
  key: string;
  /** As written in the grid (relative to the grid file): what result lines show. */
  workload: string;
  cluster: string;
  /** Path to open, relative to the working directory when below it. */
  workloadPath: string;
  clusterPath: string;
  policy: string;
  mode: SimMode;
  rateMultiplier: number;
  quantiles: number[];
}

/** The key of a combination: stable across runs, machines and worker counts. */
export function comboKey(
  c: Pick<Combo, 'workload' | 'cluster' | 'policy' | 'mode' | 'rateMultiplier'>,
): string {
  return `${c.workload}|${c.cluster}|${c.policy}|${c.mode}|x${c.rateMultiplier}`;
}

/**
 * Every combination, in the grid's order: workloads outermost, then clusters, policies, modes
 * and rate multipliers innermost. Result files follow this order.
 */
export function gridCombos(loaded: LoadedGrid): Combo[] {
  const { grid } = loaded;
  const out: Combo[] = [];
  for (const w of loaded.workloads)
    for (const c of loaded.clusters)
      for (const policy of grid.policies)
        for (const mode of grid.modes)
          for (const rateMultiplier of grid.rate_multipliers) {
            const base = { workload: w.name, cluster: c.name, policy, mode, rateMultiplier };
            out.push({
              ...base,
              key: comboKey(base),
              workloadPath: w.path,
              clusterPath: c.path,
              quantiles: grid.quantiles,
            });
          }
  return out;
}
