import { createHash } from 'node:crypto';
import type { GeneratedWorkloadSpec, GridGap, GridProvision } from '../../schema/grid.ts';
import type { SimMode } from '../../sim/types.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { LoadedGrid } from './grid.ts';

/** What every cell carries: its key and the files it reads, as written and as opened. */
interface CellBase {
  /** Canonical inputs as one string: stable across runs, machines, directories and worker counts. */
  key: string;
  /** As written in the grid (relative to the grid file), or a generated workload's name: what result lines show. */
  workload: string;
  /** Path to open, relative to the working directory when below it; null for a generated workload. */
  workloadPath: string | null;
  /** How to generate the workload for the cell's cluster, instead of reading a file. */
  generate: GeneratedWorkloadSpec | null;
  rateMultiplier: number;
}

/** One simulation: a policy on a cluster in one mode. */
export interface SimulateCell extends CellBase {
  kind: 'simulate';
  cluster: string;
  clusterPath: string;
  policy: string;
  policyOptions: Record<string, unknown>;
  mode: SimMode;
  quantiles: number[];
}

/** Every policy against the optimum's bounds (src/analysis/gap.ts) under a time limit. */
export interface GapCell extends CellBase {
  kind: 'gap';
  cluster: string;
  clusterPath: string;
  gap: GridGap;
}

/** The cheapest verified GPU mix (src/provision/) for a workload at one load. */
export interface ProvisionCell extends CellBase {
  kind: 'provision';
  /** A workload file: a generated workload is made for a cluster, and provision chooses the cluster. */
  workloadPath: string;
  generate: null;
  /** Catalog as written in the grid and as opened; null for the bundled one. */
  catalog: string | null;
  catalogPath: string | null;
  provision: GridProvision;
}

/** One run of a sweep; plain data so it can be posted to a worker thread or a queue. */
export type Cell = SimulateCell | GapCell | ProvisionCell;

/**
 * The key of a simulate cell. Without policy options it is `W|C|P|M|xR`, the key of earlier
 * results files, so they still resume; options are appended in canonical form.
 */
export function simulateKey(
  c: Pick<SimulateCell, 'workload' | 'cluster' | 'policy' | 'mode' | 'rateMultiplier' | 'policyOptions'>,
): string {
  const base = `${c.workload}|${c.cluster}|${c.policy}|${c.mode}|x${c.rateMultiplier}`;
  return Object.keys(c.policyOptions).length === 0 ? base : `${base}|${canonicalJson(c.policyOptions)}`;
}

/** Short, fixed-length id of a key: a queue job id (BullMQ ids must not hold ':'). */
export function keyId(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/**
 * Every cell, in the grid's order: the simulate cells (workloads outermost, then clusters,
 * policies, modes and rate multipliers innermost), then the gap cells (workload, cluster, rate),
 * then the provision cells (workload, rate). Result files follow this order.
 */
export function gridCells(loaded: LoadedGrid): Cell[] {
  const { grid } = loaded;
  const out: Cell[] = [];
  for (const w of loaded.workloads)
    for (const c of loaded.clusters)
      for (const policy of grid.policies)
        for (const mode of grid.modes)
          for (const rateMultiplier of grid.rate_multipliers) {
            const policyOptions = grid.policy_options[policy] ?? {};
            const base = { workload: w.name, cluster: c.name, policy, mode, rateMultiplier, policyOptions };
            out.push({
              kind: 'simulate',
              ...base,
              key: simulateKey({ ...base, workload: w.key }),
              workloadPath: w.path,
              generate: w.generate,
              clusterPath: c.path,
              quantiles: grid.quantiles,
            });
          }
  if (grid.gap) {
    const gap = grid.gap;
    for (const w of loaded.workloads)
      for (const c of loaded.clusters)
        for (const rateMultiplier of grid.rate_multipliers)
          out.push({
            kind: 'gap',
            key: `gap|${w.key}|${c.name}|x${rateMultiplier}|${canonicalJson(gap)}`,
            workload: w.name,
            workloadPath: w.path,
            generate: w.generate,
            cluster: c.name,
            clusterPath: c.path,
            rateMultiplier,
            gap,
          });
  }
  if (grid.provision) {
    const provision = grid.provision;
    for (const w of loaded.workloads)
      for (const rateMultiplier of grid.rate_multipliers) {
        // loadGrid refuses generated workloads with a provision section.
        if (w.path === null) continue;
        out.push({
          kind: 'provision',
          key: `provision|${w.key}|x${rateMultiplier}|${canonicalJson(provision)}`,
          workload: w.name,
          workloadPath: w.path,
          generate: null,
          rateMultiplier,
          catalog: provision.catalog ?? null,
          catalogPath: loaded.catalogPath,
          provision,
        });
      }
  }
  return out;
}
