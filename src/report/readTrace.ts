import { formatJsonPath, HexplanError } from '../errors.ts';
import { readTextFile } from '../io/files.ts';
import { CallRecord } from '../schema/results.ts';
import { readCsv } from '../util/csv.ts';

/**
 * The calls of a `simulate --trace` file, JSONL (call and workflow records) or CSV (the calls
 * file). Bad records are reported together as `FILE:LINE: json.path: message`.
 */
export function readTraceCalls(file: string): CallRecord[] {
  const problems: string[] = [];
  const calls: CallRecord[] = [];
  const take = (value: unknown, where: string) => {
    const parsed = CallRecord.safeParse(value);
    if (parsed.success) calls.push(parsed.data);
    else
      for (const i of parsed.error.issues) problems.push(`${where}: ${formatJsonPath(i.path)}: ${i.message}`);
  };
  if (file.toLowerCase().endsWith('.csv')) {
    for (const { line, values } of readCsv(file, [
      'workflow',
      'call',
      'prefill_instance',
      'decode_instance',
    ])) {
      const v: Record<string, string | number> = { ...values };
      for (const k of Object.keys(v)) if (k.endsWith('_s')) v[k] = Number(v[k]);
      take(v, `${file}:${line}`);
    }
  } else {
    readTextFile(file)
      .split('\n')
      .forEach((raw, i) => {
        if (raw.trim() === '') return;
        let v: unknown;
        try {
          v = JSON.parse(raw);
        } catch {
          problems.push(`${file}:${i + 1}: (root): malformed JSON`);
          return;
        }
        if (v && typeof v === 'object' && (v as { record?: unknown }).record === 'call') {
          const { record: _, ...rest } = v as Record<string, unknown>;
          take(rest, `${file}:${i + 1}`);
        }
      });
  }
  if (problems.length > 0) throw new HexplanError(problems.join('\n'), { problems });
  if (calls.length === 0)
    throw new HexplanError(`${file}: (file): no call records (write one with \`hexplan simulate --trace\`)`);
  return calls;
}
