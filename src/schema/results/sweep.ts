import { z } from 'zod';
import { resultSchema } from './result.ts';

const counts = {
  runs: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  /** The results file (JSON lines). */
  output: z.string(),
};

export const FinishedSweepResult = resultSchema('sweep-result', {
  interrupted: z.literal(false),
  ...counts,
  timings_file: z.string(),
  /** The table --csv wrote. */
  csv: z.string().optional(),
});

/** Printed with --json on SIGINT/SIGTERM: what the results file holds so far. */
export const InterruptedSweepResult = resultSchema('sweep-result', {
  interrupted: z.literal(true),
  ...counts,
});

export const SweepResult = z.discriminatedUnion('interrupted', [FinishedSweepResult, InterruptedSweepResult]);
