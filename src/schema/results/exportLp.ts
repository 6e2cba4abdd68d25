import { z } from 'zod';
import { resultSchema } from './result.ts';

export const ExportLpResult = resultSchema('export-lp-result', {
  workload: z.string(),
  cluster: z.string(),
  output: z.string(),
  format: z.enum(['lp', 'mps']),
  formulation: z.enum(['continuous', 'time-indexed']),
  /** Time step of the time-indexed model; null for the continuous one. */
  delta_s: z.number().nullable(),
  columns: z.number().int().nonnegative(),
  binaries: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  heuristic_upper_bound: z.number(),
  heuristic_source: z.string(),
});
