import { dirname, resolve } from 'node:path';
import { HexplanError, referredFrom } from '../errors.ts';
import { readJsonFile } from '../io/files.ts';
import { parseValue } from '../io/loadDocument.ts';
import { packagePath } from '../io/packageRoot.ts';
import { builtinProfile } from '../profile/builtin.ts';
import { BUNDLED_LLM_CATALOG, type Catalog, loadCatalog } from '../profile/catalog.ts';
import { kvCapacityTokens } from '../profile/memory.ts';
import { GPU_CATALOG_SCHEMA, type Gpu, type Llm } from '../schema/catalog.ts';
import type { MixedTimeshare, Role } from '../schema/cluster.ts';
import { PROVISION_CATALOG_SCHEMA, ProvisionCatalog } from '../schema/provisionCatalog.ts';

export { PROVISION_CATALOG_SCHEMA, ProvisionCatalog };

export const BUNDLED_PROVISION_CATALOG = packagePath('models', 'catalog-provision.json');

/** One buyable GPU type, resolved against the GPU catalog. */
export interface ProvisionGpu {
  name: string;
  spec: Gpu;
  pricePerGpuHour: number;
  /** GPUs that may be bought; null = unlimited. */
  availableGpus: number | null;
  tp: { prefill?: number; decode?: number; mixed?: number };
  decodeSlots: number;
}

export interface ProvisionSetup {
  file: string;
  catalog: Catalog;
  gpus: ProvisionGpu[];
  roles: Role[];
  nodeGpus: number;
  memUtil: number;
  defaultDecodeSlots: number;
  /**
   * Every cluster built from the setup (candidates, baselines, the floor's probes) has its mixed
   * instances time-share one GPU in realistic mode (cluster `mixed_timeshare`), and the MILP
   * charges both stages to one budget, unless it is false (side by side): the catalog's
   * `mixed_timeshare` (default "chunked"), or `--chunked-prefill` / `--[no-]mixed-timeshare`.
   */
  mixedTimeshare: MixedTimeshare;
}

/**
 * A decode-capable instance must hold at least this many KV tokens per decode slot, or the
 * tp is raised: a 16-slot decoder with less than 1,024 tokens a slot cannot hold typical
 * agentic calls (the bundled workloads' median call needs ~1–3k tokens).
 */
export const MIN_KV_TOKENS_PER_SLOT = 1024;
const TP_CHOICES = [1, 2, 4, 8];

/**
 * Loads a provisioning catalog (hexplan/provision-catalog@1), or a plain GPU catalog
 * (hexplan/gpu-catalog@1, then every GPU at the default tp rule), the bundled one by default.
 */
export function loadProvisionSetup(file = BUNDLED_PROVISION_CATALOG): ProvisionSetup {
  const raw = readJsonFile(file);
  const tag = raw && typeof raw === 'object' ? (raw as { schema?: unknown }).schema : undefined;
  if (tag === GPU_CATALOG_SCHEMA) {
    const catalog = loadCatalog(file, BUNDLED_LLM_CATALOG);
    const doc = parseValue(
      file,
      {
        schema: PROVISION_CATALOG_SCHEMA,
        gpus: [...catalog.gpus.keys()].map((gpu) => ({ gpu })),
      },
      ProvisionCatalog,
    );
    return resolveSetup(file, doc, catalog);
  }
  const doc = parseValue(file, raw, ProvisionCatalog);
  const gpuFile = doc.gpu_catalog ? resolve(dirname(file), doc.gpu_catalog) : undefined;
  const catalog = gpuFile
    ? referredFrom(file, 'gpu_catalog', () => loadCatalog(gpuFile, BUNDLED_LLM_CATALOG))
    : loadCatalog();
  return resolveSetup(file, doc, catalog);
}

export function resolveSetup(file: string, doc: ProvisionCatalog, catalog: Catalog): ProvisionSetup {
  const seen = new Set<string>();
  const gpus = doc.gpus.map((entry, i): ProvisionGpu => {
    const spec = catalog.gpus.get(entry.gpu);
    if (!spec) {
      throw new HexplanError(
        `${file}: gpus[${i}].gpu: unknown GPU "${entry.gpu}" (known: ${[...catalog.gpus.keys()].join(', ')})`,
      );
    }
    if (seen.has(entry.gpu)) throw new HexplanError(`${file}: gpus[${i}].gpu: "${entry.gpu}" listed twice`);
    seen.add(entry.gpu);
    const price = entry.price_per_hour ?? spec.price_per_hour;
    // A free GPU makes "cheapest" meaningless: every count costs 0, so the closed loop kept
    // growing the cluster (6 GB in 4 minutes) instead of converging.
    if (!(price > 0)) {
      const from = entry.price_per_hour === undefined ? ' (from the GPU catalog)' : '';
      throw new HexplanError(
        `${file}: gpus[${i}].price_per_hour: ${price}${from}: a GPU that costs nothing has no cheapest mix; give a positive price`,
      );
    }
    return {
      name: entry.gpu,
      spec,
      pricePerGpuHour: price,
      availableGpus: entry.available ?? spec.available ?? null,
      tp: entry.tp,
      decodeSlots: entry.decode_slots ?? doc.default_decode_slots,
    };
  });
  // Without a role of each stage no cluster can serve anything; said here, the catalog is named
  // (found later, the workload's model was blamed).
  const roles = [...new Set(doc.roles)];
  for (const [stage, able] of [
    ['prefill', ['prefill', 'mixed']],
    ['decode', ['decode', 'mixed']],
  ] as const) {
    if (!roles.some((r) => (able as readonly string[]).includes(r))) {
      throw new HexplanError(
        `${file}: roles: ${JSON.stringify(doc.roles)} has no role that can ${stage} (needs "${able[0]}" or "mixed")`,
      );
    }
  }
  return {
    file,
    catalog,
    gpus,
    roles,
    nodeGpus: doc.node_gpus,
    memUtil: doc.mem_util,
    defaultDecodeSlots: doc.default_decode_slots,
    mixedTimeshare: doc.mixed_timeshare,
  };
}

/**
 * The tensor-parallel degree of (gpu, role) for a model: the catalog's choice, raised to the
 * smallest power of two at which the model fits (prefill: positive KV capacity; decode and
 * mixed: at least decode_slots × MIN_KV_TOKENS_PER_SLOT tokens). Without a catalog entry:
 * that smallest tp. Null when no tp up to 8 fits.
 */
export function tpFor(
  catalog: Catalog,
  gpu: ProvisionGpu,
  llm: Llm,
  role: Role,
  memUtil: number,
): number | null {
  const listed = gpu.tp[role] ?? 1;
  const need = role === 'prefill' ? 1 : gpu.decodeSlots * MIN_KV_TOKENS_PER_SLOT;
  for (const tp of TP_CHOICES) {
    if (tp < listed && listed <= 8) continue;
    if (kvCapacityTokens(builtinProfile(catalog, gpu.spec, llm, tp), memUtil) >= need) return tp;
  }
  return null;
}
