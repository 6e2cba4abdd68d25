import { z } from 'zod';
import { outputSchemaId } from '../output.ts';

/**
 * The zod schema of a command's `--json` output: its `schema` tag first, then `shape`. Strict, so
 * a key the contract does not list fails the contract test instead of slipping into scripts.
 */
export function resultSchema<S extends z.ZodRawShape>(name: string, shape: S) {
  return z.strictObject({ schema: z.literal(outputSchemaId(name)), ...shape });
}

/**
 * A number JSON may carry as null: JSON has no Infinity or NaN, so an unbounded or undefined
 * value (e.g. a gap against no upper bound) is written as null.
 */
export const jsonNumber = z.number().nullable();
