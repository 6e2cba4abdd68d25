import type { z } from 'zod';
import { formatJsonPath, HexplanError } from '../errors.ts';
import { parseJsonText, readTextFile } from './files.ts';

/** Maps zod's issues to `FILE: json.path: message` lines, at most `limit` of them. */
export function zodProblems(file: string, error: z.ZodError, limit = 50): string[] {
  const lines = error.issues.slice(0, limit).map((issue) => {
    return `${file}: ${formatJsonPath(issue.path)}: ${issue.message}`;
  });
  if (error.issues.length > limit)
    lines.push(`${file}: (root): … and ${error.issues.length - limit} more problems`);
  return lines;
}

/** Validates an already-parsed value against a schema, throwing every problem at once. */
export function parseValue<S extends z.ZodType>(file: string, value: unknown, schema: S): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = zodProblems(file, result.error);
    throw new HexplanError(problems.join('\n'), { problems });
  }
  return result.data;
}

/** Reads, parses and validates the shape of a file in one step. */
export function loadFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  return parseValue(file, parseJsonText(file, readTextFile(file)), schema);
}

/** Throws the collected problems, if any, as one HexplanError. */
export function throwIfProblems(problems: string[]): void {
  if (problems.length > 0) throw new HexplanError(problems.join('\n'), { problems });
}
