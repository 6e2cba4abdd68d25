import { HexplanError } from '../errors.ts';
import { parseJsonText, readTextFile } from '../io/files.ts';
import { loadProvisionSetup, PROVISION_CATALOG_SCHEMA } from '../provision/offers.ts';
import { type ValidationReport, validateFile } from '../scenario/documents.ts';
import { GRID_SCHEMA } from '../schema/grid.ts';
import { HEADLINE_GRID_SCHEMA } from '../schema/headline.ts';
import { loadGrid } from './sweep/grid.ts';

/**
 * The formats whose loaders live above scenario/ (a grid names workloads, clusters and policies;
 * a provisioning catalog resolves against the GPU catalog): checked with their own loaders.
 */
const UPPER_KINDS: Record<string, { kind: string; check: (file: string) => string }> = {
  [GRID_SCHEMA]: {
    kind: 'grid',
    check: (file) => {
      const g = loadGrid(file);
      return `grid: ${g.workloads.length} workloads × ${g.clusters.length} clusters`;
    },
  },
  [HEADLINE_GRID_SCHEMA]: {
    kind: 'headline-grid',
    check: (file) => {
      const g = loadGrid(file);
      return `headline grid: ${g.workloads.length} families × ${g.clusters.length} clusters × ${g.grid.rate_multipliers.length} loads × ${g.grid.modes.length} modes, ${g.grid.policies.length} policies`;
    },
  },
  [PROVISION_CATALOG_SCHEMA]: {
    kind: 'provision-catalog',
    check: (file) => `provision catalog: ${loadProvisionSetup(file).gpus.length} GPU offers`,
  },
};

/** Validates any hexplan file, every kind included; never throws for bad input. */
export function validateAnyFile(file: string): ValidationReport {
  let tag: unknown;
  try {
    const raw = parseJsonText(file, readTextFile(file));
    tag =
      raw && typeof raw === 'object' && !Array.isArray(raw)
        ? (raw as { schema?: unknown }).schema
        : undefined;
  } catch {
    return validateFile(file);
  }
  const upper = typeof tag === 'string' ? UPPER_KINDS[tag] : undefined;
  if (!upper) return validateFile(file);
  try {
    return { file, kind: upper.kind, ok: true, problems: [], summary: upper.check(file) };
  } catch (err) {
    if (err instanceof HexplanError)
      return { file, kind: upper.kind, ok: false, problems: err.problems, summary: '' };
    throw err;
  }
}
