import { readResultLines, type SweepRows } from '../analysis/sweep/resultLines.ts';
import type { SweepGapLine, SweepProvisionLine, SweepSimulateLine } from '../schema/sweepResult.ts';

export type { SweepRows } from '../analysis/sweep/resultLines.ts';

/** A results file's lines by kind (src/analysis/sweep/resultLines.ts), each sorted so the report does not depend on line order. */
export function readResults(file: string): SweepRows {
  const rows = readResultLines(file);
  const by =
    <T extends { key: string; rate_multiplier: number }>(fields: (r: T) => Array<string | number>) =>
    (a: T, b: T) => {
      const fa = [...fields(a), a.rate_multiplier, a.key];
      const fb = [...fields(b), b.rate_multiplier, b.key];
      for (let i = 0; i < fa.length; i++) {
        const c = cmp(fa[i]!, fb[i]!);
        if (c !== 0) return c;
      }
      return 0;
    };
  rows.simulate.sort(by<SweepSimulateLine>((r) => [r.workload, r.cluster, r.mode, r.policy]));
  rows.gap.sort(by<SweepGapLine>((r) => [r.workload, r.cluster, r.mode]));
  rows.provision.sort(by<SweepProvisionLine>((r) => [r.workload, r.quantile, r.scale]));
  return rows;
}

/** Code-unit order (not locale order), so sorting is the same on every machine. */
function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
