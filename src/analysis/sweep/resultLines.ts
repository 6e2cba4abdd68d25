import { formatJsonPath, HexplanError } from '../../errors.ts';
import { readTextFile } from '../../io/files.ts';
import {
  type SweepGapLine,
  type SweepProvisionLine,
  type SweepSimulateLine,
  sweepLineSchema,
} from '../../schema/sweepResult.ts';

/** A results file's lines by kind, in file order. */
export interface SweepRows {
  simulate: SweepSimulateLine[];
  gap: SweepGapLine[];
  provision: SweepProvisionLine[];
}

/**
 * Reads a sweep results file: every non-blank line must be one valid result object of its kind.
 * All bad lines are reported at once as `FILE:LINE: json.path: message`, so one run fixes them all.
 */
export function readResultLines(file: string): SweepRows {
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
  return rows;
}
