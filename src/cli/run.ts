import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import yargs, { type Argv, type Options } from 'yargs';
import { z } from 'zod';
import { HexplanError } from '../errors.ts';
import type { CommandEntry } from './commands.ts';
import { type AnyCommand, CommandLineError, makeContext } from './defineCommand.ts';
import { USAGE_EXIT } from './exitCodes.ts';

import { flagMeta, flagName, flagShape, usageLine, yargsOptionsOf } from './flags.ts';
import { type InterruptSaver, interruptHandlersOnDemand } from './interrupt.ts';
import { progressStyle, stopAllBars } from './progress.ts';

/** Options every command takes. */
export const GLOBAL_OPTIONS: Record<string, Options> = {
  json: { type: 'boolean', default: false, describe: 'print one JSON object on stdout (carries "schema")' },
  quiet: { type: 'boolean', default: false, describe: 'no progress or status lines on stderr' },
};

class UsageError extends Error {}

/** A loaded command with the name and description it is listed under. */
type Named = { entry: Pick<CommandEntry, 'name' | 'describe'>; spec: AnyCommand };

function parser({ entry, spec }: Named, args: string[]): Argv {
  let y = yargs(args)
    .scriptName('hexplan')
    .usage(`${usageLine(entry.name, spec.options)}\n\n${entry.describe}`)
    .options({ ...yargsOptionsOf(spec.options), ...GLOBAL_OPTIONS })
    .parserConfiguration({ 'strip-aliased': true })
    .strictOptions()
    .exitProcess(false)
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  for (const [cmd, description] of spec.examples ?? []) y = y.example(cmd, description);
  return y;
}

function refuse({ entry, spec }: Named, problems: string[]): number {
  process.stderr.write(
    `${problems.map((p) => `error: ${p}`).join('\n')}\n${usageLine(entry.name, spec.options)}\n` +
      `run "hexplan ${entry.name} --help" for every option\n`,
  );
  return USAGE_EXIT;
}

function valueText(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** The parsed options, or the problems that refuse the command line (before any work). */
function parseOptions(
  spec: AnyCommand,
  argv: Record<string, unknown>,
): { ok: true; options: Record<string, unknown> } | { ok: false; problems: string[] } {
  const raw: Record<string, unknown> = {};
  const positionals = (argv._ as Array<string | number>).map(String);
  let positionalKey: string | undefined;
  for (const [key, schema] of Object.entries(spec.options as Record<string, z.ZodType>)) {
    if (flagMeta(schema)?.positional) {
      positionalKey = key;
      const f = flagShape(schema);
      raw[key] = f.array ? (positionals.length > 0 ? positionals : undefined) : positionals[0];
      if (!f.array && positionals.length > 1)
        return { ok: false, problems: [`unexpected argument "${positionals[1]}"`] };
    } else raw[key] = argv[key];
  }
  if (!positionalKey && positionals.length > 0)
    return { ok: false, problems: [`unexpected argument "${positionals[0]}"`] };
  const parsed = z.object(spec.options).safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        const name = key === positionalKey ? key : `--${flagName(key)}`;
        const got = raw[key] === undefined ? '' : ` (got ${valueText(raw[key])})`;
        return `${name}: ${issue.message}${got}`;
      }),
    };
  }
  const problems: string[] = [];
  for (const [key, schema] of Object.entries(spec.options as Record<string, z.ZodType>)) {
    const file = parsed.data[key];
    if (!flagMeta(schema)?.writes || typeof file !== 'string') continue;
    // A long solve must not run for minutes only to fail writing into a folder that is not there.
    const folder = dirname(file);
    if (!existsSync(folder) || !statSync(folder).isDirectory())
      problems.push(`--${flagName(key)}: ${file}: folder "${folder}" does not exist`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, options: parsed.data };
}

/**
 * A library error naming one of the command's fields reads, on the command line, as its flag.
 * Only the leading name is replaced: a field such as `as` or `model` is also an English word.
 */
export function userMessage(spec: AnyCommand, err: HexplanError): string[] {
  const field = err.field;
  const flag = field ? spec.fieldFlags?.[field] : undefined;
  if (!flag || !field) return err.problems;
  return err.problems.map((p) =>
    p.startsWith(field) && !/[\w-]/.test(p.charAt(field.length)) ? `--${flag}${p.slice(field.length)}` : p,
  );
}

/**
 * Parses and checks the command line completely (yargs: unknown flags, choices, missing values;
 * zod: types, ranges, lists), then runs the command. Nothing runs, and nothing is written,
 * until every option is known to be valid.
 */
export async function runCommand(
  entry: Pick<CommandEntry, 'name' | 'describe'>,
  spec: AnyCommand,
  args: string[],
): Promise<number> {
  const named: Named = { entry, spec };
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${await parser(named, []).getHelp()}\n`);
    return 0;
  }
  let argv: Record<string, unknown>;
  try {
    argv = parser(named, args).parseSync();
  } catch (err) {
    if (err instanceof UsageError || (err as Error).name === 'YError')
      return refuse(named, [(err as Error).message]);
    throw err;
  }
  const parsed = parseOptions(spec, argv);
  if (!parsed.ok) return refuse(named, parsed.problems);
  const json = argv.json === true;
  const quiet = argv.quiet === true;
  const savers: InterruptSaver[] = [];
  const signals = interruptHandlersOnDemand(savers);
  const ctx = makeContext(json, quiet, progressStyle(quiet), savers, signals.arm);
  try {
    const code = await spec.run(parsed.options, ctx);
    if (typeof code === 'number') return code;
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (!(err instanceof HexplanError)) throw err;
    const fieldError = err.field !== undefined && spec.fieldFlags?.[err.field] !== undefined;
    if (err instanceof CommandLineError) return refuse(named, err.problems);
    if (fieldError) return refuse(named, userMessage(spec, err));
    process.stderr.write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n`);
    return err.exitCode;
  } finally {
    stopAllBars();
    signals.dispose();
  }
}
