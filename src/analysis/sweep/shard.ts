import { HexplanError } from '../../errors.ts';

/** Shard `index` (1-based) of `count`: a contiguous block of the grid, so shards concatenate in order. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n), the form Slurm array jobs fill in from their task id. */
export function parseShard(field: string, text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count)
    throw new HexplanError(`${field}: expected i/n with 1 ≤ i ≤ n (e.g. 2/8), got "${text}"`, {
      field,
    });
  return { index, count };
}

/**
 * The items of one shard: block i of n near-equal contiguous blocks (sizes differ by at most
 * one). Concatenating the outputs of shards 1…n in order gives the whole grid in grid order.
 */
export function shardSlice<T>(items: readonly T[], shard: Shard): T[] {
  const from = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const to = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(from, to);
}
