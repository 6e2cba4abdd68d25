import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { HexplanError, oneLine, referredFrom } from '../errors.ts';
import { parseJsonText, readTextFile } from '../io/files.ts';
import { loadFile, parseValue, throwIfProblems } from '../io/loadDocument.ts';
import { type Catalog, loadCatalog } from '../profile/catalog.ts';
import { GPU_CATALOG_SCHEMA, GpuCatalog, LLM_CATALOG_SCHEMA, LlmCatalog } from '../schema/catalog.ts';
import { CLUSTER_SCHEMA, Cluster } from '../schema/cluster.ts';
import { GRID_SCHEMA, Grid } from '../schema/grid.ts';
import { PLAN_SCHEMA, Plan } from '../schema/plan.ts';
import { PROFILES_SCHEMA, type Profile, Profiles } from '../schema/profile.ts';
import { PROVISION_CATALOG_SCHEMA, ProvisionCatalog } from '../schema/provisionCatalog.ts';
import { WORKLOAD_SCHEMA, Workload } from '../schema/workload.ts';
import { checkWorkload } from '../workload/checks.ts';
import { checkCluster } from './clusterChecks.ts';

/** Reads a workload file: shape, then semantics (unique ids, known deps, no cycles). */
export function loadWorkload(file: string): Workload {
  const workload = loadFile(file, Workload);
  throwIfProblems(checkWorkload(file, workload));
  return workload;
}

/** Reads a cluster file and the profiles file it names, checked against the catalog. */
export function loadCluster(
  file: string,
  catalog: Catalog = loadCatalog(),
): { cluster: Cluster; profiles: Profile[] } {
  const cluster = loadFile(file, Cluster);
  throwIfProblems(checkCluster(file, cluster, catalog));
  const profiles = cluster.profiles
    ? referredFrom(file, 'profiles', () => loadFile(resolve(dirname(file), cluster.profiles!), Profiles))
        .profiles
    : [];
  return { cluster, profiles };
}

export function loadPlan(file: string): Plan {
  return loadFile(file, Plan);
}

/** Every file kind `validate` understands, keyed by its `schema` field. */
export const KINDS: Record<
  string,
  { kind: string; schema: z.ZodType; semantic?: (file: string, value: never) => string[] }
> = {
  [WORKLOAD_SCHEMA]: {
    kind: 'workload',
    schema: Workload,
    semantic: ((file: string, w: Workload) =>
      checkWorkload(file, w, new Set(loadCatalog().llms.keys()))) as never,
  },
  [CLUSTER_SCHEMA]: {
    kind: 'cluster',
    schema: Cluster,
    semantic: ((file: string, c: Cluster) => checkCluster(file, c, loadCatalog())) as never,
  },
  [PROFILES_SCHEMA]: { kind: 'profiles', schema: Profiles },
  [PLAN_SCHEMA]: { kind: 'plan', schema: Plan },
  [GPU_CATALOG_SCHEMA]: { kind: 'gpu-catalog', schema: GpuCatalog },
  [LLM_CATALOG_SCHEMA]: { kind: 'llm-catalog', schema: LlmCatalog },
  // Shape only: the files a grid names and the GPUs a catalog buys are checked when a sweep
  // or a provisioning run loads them.
  [GRID_SCHEMA]: { kind: 'grid', schema: Grid },
  [PROVISION_CATALOG_SCHEMA]: { kind: 'provision-catalog', schema: ProvisionCatalog },
};

export interface ValidationReport {
  file: string;
  kind: string | null;
  ok: boolean;
  problems: string[];
  summary: string;
}

/** Validates any hexplan file, recognizing its kind from the `schema` field. Never throws for bad input. */
export function validateFile(file: string): ValidationReport {
  let kind: string | null = null;
  try {
    const raw = parseJsonText(file, readTextFile(file));
    const tag =
      raw && typeof raw === 'object' && !Array.isArray(raw)
        ? (raw as { schema?: unknown }).schema
        : undefined;
    const entry = typeof tag === 'string' ? KINDS[tag] : undefined;
    if (!entry) {
      const known = Object.keys(KINDS).join(', ');
      const msg =
        tag === undefined
          ? `missing "schema" field (one of: ${known})`
          : `unknown schema ${describeTag(tag)} (one of: ${known})`;
      return { file, kind, ok: false, problems: [`${file}: schema: ${msg}`], summary: '' };
    }
    kind = entry.kind;
    const value = parseValue(file, raw, entry.schema);
    const problems = (entry.semantic ? entry.semantic(file, value as never) : []).map(oneLine);
    return {
      file,
      kind,
      ok: problems.length === 0,
      problems,
      summary: problems.length ? '' : summarize(kind, value),
    };
  } catch (err) {
    if (err instanceof HexplanError) return { file, kind, ok: false, problems: err.problems, summary: '' };
    throw err;
  }
}

/** The `schema` value as a message shows it: a string quoted, anything else by type (never serialized whole). */
function describeTag(tag: unknown): string {
  if (typeof tag === 'string') return JSON.stringify(tag.length > 80 ? `${tag.slice(0, 80)}…` : tag);
  return tag === null ? 'null' : Array.isArray(tag) ? '(an array)' : `(a ${typeof tag})`;
}

function summarize(kind: string, value: unknown): string {
  switch (kind) {
    case 'workload': {
      const w = value as Workload;
      const calls = w.workflows.reduce((n, wf) => n + wf.calls.length, 0);
      return `workload: ${w.workflows.length} workflows, ${calls} calls`;
    }
    case 'cluster': {
      const c = value as Cluster;
      const gpus = c.instances.reduce((n, i) => n + i.tp, 0);
      return `cluster: ${c.instances.length} instances, ${gpus} GPUs`;
    }
    case 'plan':
      return `plan: ${(value as Plan).calls.length} calls`;
    case 'profiles':
      return `profiles: ${(value as Profiles).profiles.length} profiles`;
    case 'gpu-catalog':
      return `gpu catalog: ${(value as GpuCatalog).gpus.length} GPUs`;
    case 'grid': {
      const g = value as Grid;
      const runs =
        g.workloads.length *
        g.clusters.length *
        g.policies.length *
        g.modes.length *
        g.rate_multipliers.length;
      return `grid: ${runs} runs`;
    }
    case 'provision-catalog':
      return `provision catalog: ${(value as ProvisionCatalog).gpus.length} GPUs`;
    default:
      return `llm catalog: ${(value as LlmCatalog).models.length} models`;
  }
}
