import { z } from 'zod';
import { resultSchema } from './result.ts';

const TokenStats = z.strictObject({
  min: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
  total: z.number(),
});

export const ImportSummary = z.strictObject({
  format: z.string(),
  /** The trace file read. */
  file: z.string(),
  rows_read: z.number().int().nonnegative(),
  rows_used: z.number().int().nonnegative(),
  rows_skipped: z.number().int().nonnegative(),
  skipped: z.array(
    z.strictObject({
      reason: z.string(),
      count: z.number().int().positive(),
      first_at: z.array(z.string()),
      example: z.string(),
    }),
  ),
  outside_window: z.number().int().nonnegative(),
  stopped: z.strictObject({ at: z.string(), reason: z.string() }).nullable(),
  workflows: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  arrival_span_s: z.strictObject({ first: z.number(), last: z.number() }),
  tokens: z.strictObject({ input: TokenStats, output: TokenStats, shared_prefix: TokenStats.optional() }),
  notes: z.array(z.string()),
});

export const ImportResult = resultSchema('import-result', {
  ok: z.literal(true),
  output: z.string(),
  summary: ImportSummary,
});
