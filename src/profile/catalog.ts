import { HexplanError } from '../errors.ts';
import { loadFile } from '../io/loadDocument.ts';
import { packagePath } from '../io/packageRoot.ts';
import { type Gpu, GpuCatalog, type Llm, LlmCatalog } from '../schema/catalog.ts';

export const BUNDLED_GPU_CATALOG = packagePath('models', 'gpus.json');
export const BUNDLED_LLM_CATALOG = packagePath('models', 'llms.json');

/** The GPUs and LLMs hexplan knows, indexed by name. */
export interface Catalog {
  gpus: Map<string, Gpu>;
  llms: Map<string, Llm>;
  gpuFile: string;
  llmFile: string;
}

const cache = new Map<string, Catalog>();

export function loadCatalog(gpuFile = BUNDLED_GPU_CATALOG, llmFile = BUNDLED_LLM_CATALOG): Catalog {
  const key = `${gpuFile}\0${llmFile}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const gpus = loadFile(gpuFile, GpuCatalog);
  const llms = loadFile(llmFile, LlmCatalog);
  const catalog: Catalog = {
    gpus: new Map(gpus.gpus.map((g) => [g.name, g])),
    llms: new Map(llms.models.map((m) => [m.name, m])),
    gpuFile,
    llmFile,
  };
  cache.set(key, catalog);
  return catalog;
}

export function requireGpu(catalog: Catalog, name: string, where: string): Gpu {
  const gpu = catalog.gpus.get(name);
  if (!gpu) {
    throw new HexplanError(
      `${where}: unknown GPU "${name}" (known: ${[...catalog.gpus.keys()].join(', ')})`,
      {
        field: where,
      },
    );
  }
  return gpu;
}

export function requireLlm(catalog: Catalog, name: string, where: string): Llm {
  const llm = catalog.llms.get(name);
  if (!llm) {
    throw new HexplanError(
      `${where}: unknown model "${name}" (known: ${[...catalog.llms.keys()].join(', ')})`,
      { field: where },
    );
  }
  return llm;
}
