import type { Options } from 'yargs';
import { z } from 'zod';

/** What a flag needs beyond its zod type: its help text and short alias. */
export interface FlagMeta {
  describe: string;
  alias?: string;
  /** Shown in --help instead of the default value (e.g. a path relative to the package). */
  defaultDescription?: string;
  /** The option names a file the command writes: its folder is checked before any work. */
  writes?: boolean;
  /** Takes the bare arguments after the command (`validate FILE…`). */
  positional?: boolean;
}

const flagRegistry = z.registry<FlagMeta>();

/**
 * Attaches help text to an option schema. Register the outermost schema (after `.default()` or
 * `.optional()`): zod wraps a schema in a new object at each step.
 */
export function flag<T extends z.ZodType>(schema: T, meta: FlagMeta): T {
  flagRegistry.add(schema as z.ZodType, meta);
  return schema;
}

export function flagMeta(schema: z.ZodType): FlagMeta | undefined {
  return flagRegistry.get(schema);
}

/** `timeLimit` → `time-limit`: the option key as the user types it. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

interface FlagShape {
  type: 'string' | 'number' | 'boolean';
  array: boolean;
  choices?: string[];
  required: boolean;
  defaultValue?: unknown;
}

/** Reads the yargs-relevant shape of one option schema, unwrapping defaults, optionals and pipes. */
export function flagShape(schema: z.ZodType): FlagShape {
  let s: z.ZodType = schema;
  let required = true;
  let defaultValue: unknown;
  let array = false;
  for (;;) {
    if (s instanceof z.ZodDefault) {
      required = false;
      defaultValue = s.def.defaultValue;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodOptional) {
      required = false;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else if (s instanceof z.ZodArray && !array) {
      array = true;
      s = s.element as z.ZodType;
    } else break;
  }
  const base = { array, required, ...(defaultValue !== undefined ? { defaultValue } : {}) };
  if (s instanceof z.ZodEnum) return { ...base, type: 'string', choices: s.options.map(String) };
  if (s instanceof z.ZodNumber) return { ...base, type: 'number' };
  if (s instanceof z.ZodBoolean) return { ...base, type: 'boolean' };
  if (s instanceof z.ZodString) return { ...base, type: 'string' };
  throw new Error(`flags: unsupported option schema type "${s.def.type}"`);
}

/**
 * The yargs options of one command, derived from its zod options schema, so a flag's type,
 * choices, default and requiredness are written once. The zod schema still checks the parsed
 * values afterwards (ranges, NaN, lists), which yargs cannot.
 */
export function yargsOptionsOf(shape: Record<string, z.ZodType>): Record<string, Options> {
  const out: Record<string, Options> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const meta = flagMeta(schema);
    if (!meta) throw new Error(`flags: option "${key}" has no help text (wrap it in flag())`);
    if (meta.positional) continue;
    const f = flagShape(schema);
    const opt: Options = { type: f.type, describe: meta.describe, requiresArg: f.type !== 'boolean' };
    if (f.array) opt.array = true;
    if (f.choices) opt.choices = f.choices;
    if (f.required && f.type !== 'boolean') opt.demandOption = true;
    if (f.defaultValue !== undefined) opt.default = f.defaultValue;
    if (meta.alias) opt.alias = meta.alias;
    if (meta.defaultDescription) opt.defaultDescription = meta.defaultDescription;
    out[flagName(key)] = opt;
  }
  return out;
}

/** `usage: hexplan gen --family <react|…> --workflows <number> --output <string> [options]` */
export function usageLine(command: string, shape: Record<string, z.ZodType>): string {
  const parts = [`hexplan ${command}`];
  for (const [key, schema] of Object.entries(shape)) {
    const meta = flagMeta(schema);
    const f = flagShape(schema);
    if (meta?.positional) {
      parts.push(f.required ? `<${key}${f.array ? '..' : ''}>` : `[${key}${f.array ? '..' : ''}]`);
      continue;
    }
    if (!f.required || f.type === 'boolean') continue;
    const value = f.choices ? f.choices.join('|') : f.type;
    parts.push(`--${flagName(key)} <${value}>`);
  }
  parts.push('[options]');
  return `usage: ${parts.join(' ')}`;
}
