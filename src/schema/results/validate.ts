import { z } from 'zod';
import { resultSchema } from './result.ts';

export const ValidateResult = resultSchema('validate-result', {
  ok: z.boolean(),
  files: z.array(
    z.strictObject({
      file: z.string(),
      /** The format recognized from the file's `schema`; null when none was. */
      kind: z.string().nullable(),
      ok: z.boolean(),
      problems: z.array(z.string()),
      summary: z.string(),
    }),
  ),
});
