import { instantFromMs, PAST_LIMIT_REASON } from './clock.ts';
import { finishImport, type ImportResult, parseTokenCount } from './finish.ts';
import type { TraceImporter } from './importer.ts';
import { readLines } from './lines.ts';
import type { ResolvedImportOptions } from './options.ts';
import { PrefixTrie } from './prefixTrie.ts';
import { startRowImport } from './rowImport.ts';
import type { ShapeSource } from './rows.ts';

export const MOONCAKE_SOURCE = {
  dataset: 'Mooncake traces (github.com/kvcache-ai/Mooncake, FAST 2025) or a file in their JSONL format',
};

function parseHashIds(value: unknown): Array<string | number> | string {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    return `hash_ids is ${value === null ? 'null' : typeof value}, expected an array`;
  for (const h of value) {
    if (!((typeof h === 'number' && Number.isInteger(h)) || typeof h === 'string'))
      return `hash_ids holds ${JSON.stringify(h)}, expected integers`;
  }
  return value as Array<string | number>;
}

/**
 * Mooncake JSONL: `{"timestamp": ms, "input_length", "output_length", "hash_ids": [...]}` per
 * line, streamed line by line. `shared_prefix_tokens` = blocks of the longest hash_ids prefix
 * shared with any earlier imported request × block size, capped at the input length.
 * A missing `hash_ids` means no shared prefix.
 */
async function readMooncake(
  file: string,
  opts: ResolvedImportOptions,
  shapes: ShapeSource | null,
): Promise<ImportResult> {
  const { sizeBytes, skip, clock, builder, counts } = startRowImport(file, opts, 'mooncake', shapes);
  const trie = new PrefixTrie(opts.maxPrefixBlocks);

  const handle = (text: string, line: number, incomplete: boolean): boolean => {
    if (text.trim() === '') return true;
    counts.rowsRead++;
    // A cut-short line fails JSON.parse; a line that parses is complete, whatever it holds.
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (err) {
      return skip.row(line, 'malformed JSON', (err as Error).message, incomplete);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      return skip.row(
        line,
        'not an object',
        `expected {"timestamp", "input_length", "output_length", "hash_ids"}`,
        false,
      );
    const r = row as Record<string, unknown>;
    const input = parseTokenCount(r.input_length);
    if (typeof input !== 'number') return skip.row(line, input.reason, `input_length ${input.detail}`, false);
    const output = parseTokenCount(r.output_length);
    if (typeof output !== 'number')
      return skip.row(line, output.reason, `output_length ${output.detail}`, false);
    const ts = r.timestamp;
    if (ts === undefined || ts === null) return skip.row(line, 'missing field', 'timestamp', false);
    if (typeof ts !== 'number' || !Number.isFinite(ts) || ts < 0)
      return skip.row(
        line,
        'unparseable timestamp',
        `timestamp ${JSON.stringify(ts)} is not a number of ms ≥ 0`,
        false,
      );
    const hashes = parseHashIds(r.hash_ids);
    if (typeof hashes === 'string') return skip.row(line, 'bad hash_ids', hashes, false);
    const verdict = clock.observe(instantFromMs(ts));
    if (verdict === 'out-of-order')
      return skip.row(line, 'out-of-order timestamp', `${ts} ms is earlier than a previous row`, false);
    if (verdict === 'before-window') {
      counts.outsideWindow++;
      return true;
    }
    if (verdict === 'after-window' || verdict === 'past-limit') {
      counts.outsideWindow++;
      counts.stopped = {
        at: `line ${line}`,
        reason: verdict === 'past-limit' ? PAST_LIMIT_REASON : `reached --end ${opts.endS} s`,
      };
      return false;
    }
    const shared = Math.min(trie.matchAndInsert(hashes) * opts.blockTokens, input);
    builder.add(line, clock.arrivalS(), input, output, shared);
    counts.rowsUsed++;
    if (counts.rowsUsed >= opts.limit) {
      counts.stopped = { at: `line ${line}`, reason: `reached --limit ${opts.limit}` };
      return false;
    }
    return true;
  };

  await readLines(file, handle, opts.onProgress && ((c) => opts.onProgress!(c / sizeBytes)));
  counts.stopped ??= skip.truncation();
  const partial = builder.finish();
  if (partial.partialOf > 0)
    counts.notes.push(
      `the last workflow got ${partial.partialKept} of its ${partial.partialOf} generated calls (rows ran out); it keeps those`,
    );
  if (trie.full)
    counts.notes.push(
      `prefix memory full at ${trie.size} blocks (--max-prefix-blocks): later prefixes are matched only against those`,
    );
  return finishImport(file, opts, builder.workflows, skip, counts, {
    ...MOONCAKE_SOURCE,
    prefix_blocks_remembered: trie.size,
  });
}

export const importMooncake: TraceImporter = {
  name: 'mooncake',
  description: 'Mooncake JSONL (timestamp, input_length, output_length, hash_ids)',
  rowFormat: true,
  meta: (o) => ({ block_tokens: o.blockTokens }),
  run: readMooncake,
};
