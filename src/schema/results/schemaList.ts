import { z } from 'zod';
import { resultSchema } from './result.ts';

export const SchemaList = resultSchema('schema-list', {
  formats: z.array(
    z.strictObject({ name: z.string(), direction: z.enum(['input', 'output']), describe: z.string() }),
  ),
});
