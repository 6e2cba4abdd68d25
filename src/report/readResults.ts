import { formatJsonPath, HexplanError } from '../errors.ts';
import { readTextFile } from '../io/files.ts';
import {
  type SweepGapLine,
  type SweepProvisionLine,
  type SweepSimulateLine,
  sweepLineSchema,
} from '../schema/sweepResult.ts';

/** A results file's lines by kind, each sorted so the report does not depend on line order. */
export interface SweepRows {
  simulate: SweepSimulateLine[];
  gap: SweepGapLine[];
  provision: SweepProvisionLine[];
}

/**
 * Reads a sweep results file: every non-blank line must be one valid result object of its kind.
 * All bad lines are reported at once as `FILE:LINE: json.path: message`, so one run fixes them all.
 */
export function readResults(file: string): SweepRows {
  const text = readTextFile(file);
  const rows: SweepRows = { simulate: [], gap: [], provision: [] };
  const problems: string[] = [];
  const keys = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      problems.push(`${where}: (root): malformed JSON: ${(err as Error).message.split('\n')[0]}`);
      return;
    }
    const parsed = sweepLineSchema(value).safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: ${formatJsonPath(issue.path)}: ${issue.message}`);
      return;
    }
    const row = parsed.data;
    keys.set(row.key, (keys.get(row.key) ?? 0) + 1);
    if (row.kind === 'gap') rows.gap.push(row as SweepGapLine);
    else if (row.kind === 'provision') rows.provision.push(row as SweepProvisionLine);
    else rows.simulate.push(row as SweepSimulateLine);
  });
  if (problems.length > 0) throw new HexplanError(problems.join('\n'), { problems });
  if (keys.size === 0)
    throw new HexplanError(`${file}: (file): no result lines (run \`hexplan sweep\` first?)`);
  const dup = [...keys].find(([, n]) => n > 1);
  if (dup) throw new HexplanError(`${file}: (file): key "${dup[0]}" appears ${dup[1]} times`);
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
