import { formatJsonPath, HexplanError } from '../errors.ts';
import { readTextFile } from '../io/files.ts';
import { SweepResultLine } from '../schema/sweepResult.ts';

/**
 * Reads a sweep results file: every non-blank line must be one valid result object. All bad
 * lines are reported at once as `FILE:LINE: json.path: message`, so one run fixes them all.
 * Rows come back sorted (see compareRows) so the report does not depend on line order.
 */
export function readResults(file: string): SweepResultLine[] {
  const text = readTextFile(file);
  const rows: SweepResultLine[] = [];
  const problems: string[] = [];
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
    const parsed = SweepResultLine.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${where}: ${formatJsonPath(issue.path)}: ${issue.message}`);
      return;
    }
    rows.push(parsed.data);
  });
  if (problems.length > 0) throw new HexplanError(problems.join('\n'), { problems });
  if (rows.length === 0)
    throw new HexplanError(`${file}: (file): no result lines (run \`hexplan sweep\` first?)`);
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.key, (seen.get(r.key) ?? 0) + 1);
  const dup = [...seen].find(([, n]) => n > 1);
  if (dup) throw new HexplanError(`${file}: (file): key "${dup[0]}" appears ${dup[1]} times`);
  return [...rows].sort(compareRows);
}

/** Code-unit order (not locale order), so sorting is the same on every machine. */
function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Workload, cluster, mode, policy, then rate multiplier: the order of the report's sections. */
export function compareRows(a: SweepResultLine, b: SweepResultLine): number {
  return (
    cmp(a.workload, b.workload) ||
    cmp(a.cluster, b.cluster) ||
    cmp(a.mode, b.mode) ||
    cmp(a.policy, b.policy) ||
    cmp(a.rate_multiplier, b.rate_multiplier) ||
    cmp(a.key, b.key)
  );
}
