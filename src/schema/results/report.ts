import { z } from 'zod';
import { resultSchema } from './result.ts';

export const ReportResult = resultSchema('report-result', {
  /** The report directory. */
  output: z.string(),
  kind: z.enum(['sweep', 'provision', 'schedule']),
  runs: z.number().int().nonnegative(),
  sections: z.number().int().nonnegative(),
  figures: z.number().int().nonnegative(),
  /** Every file written, relative to `output`, in writing order. */
  files: z.array(z.string()),
});
