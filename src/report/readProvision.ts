import { HexplanError, problem } from '../errors.ts';
import { ProvisionSweep, type ProvisionSweepPoint } from '../schema/provisionSweep.ts';
import type { ProvisionTarget } from './figures/cost.ts';

/**
 * True when a results file is one JSON object with a `sweep` array (the `provision
 * --sweep-rates --json` output) rather than sweep JSON lines.
 */
export function isProvisionSweepText(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && 'sweep' in v;
  } catch {
    return false; // several lines: sweep JSON lines (or malformed, reported by readResults)
  }
}

/**
 * Parses cost-versus-load points, sorted by rate multiplier, and the target they were sized for
 * (`workload`, `quantile`, `scale` beside `sweep`; null in files written before they were);
 * errors as FILE: json.path: message.
 */
export function parseProvisionSweep(
  file: string,
  text: string,
): { points: ProvisionSweepPoint[]; target: ProvisionTarget } {
  const parsed = ProvisionSweep.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => problem(file, i.path, i.message));
    throw new HexplanError(problems.join('\n'), { problems });
  }
  const d = parsed.data;
  return {
    points: [...d.sweep].sort((a, b) => a.rate_multiplier - b.rate_multiplier),
    target: { workload: d.workload ?? null, quantile: d.quantile ?? null, scale: d.scale ?? null },
  };
}
