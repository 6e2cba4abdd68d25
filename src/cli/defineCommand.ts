import type { z } from 'zod';
import { HexplanError } from '../errors.ts';
import { toJsonText } from '../io/files.ts';
import { withSchema } from '../schema/output.ts';
import type { InterruptSaver } from './interrupt.ts';
import { type Progress, type ProgressStyle, startProgress } from './progress.ts';

/** What a running command may do besides computing: print, report progress, save on Ctrl-C. */
export interface CommandContext {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly progressStyle: ProgressStyle;
  /** A line on stderr (status, not results); silent with --quiet. */
  info(message: string): void;
  progress(label: string, total: number): Progress;
  /**
   * Prints the result: with --json one object tagged `schema: "hexplan/NAME@1"` (the versioned
   * output contract), otherwise the human rendering.
   */
  emit(schemaName: string, value: object, render: () => string): void;
  /** Registers what to write if the run is interrupted (SIGINT/SIGTERM). */
  onInterrupt(save: InterruptSaver): void;
}

/** An exit code, or nothing for 0 (or whatever process.exitCode says). */
// biome-ignore lint/suspicious/noConfusingVoidType: a command that returns nothing exits 0
export type CommandOutcome = void | number | Promise<void | number>;

/**
 * A command's options and behaviour. Its name and one-line description live in commands.ts
 * only, where `hexplan --help` reads them without loading any command.
 */
export interface CommandSpec<S extends z.ZodRawShape> {
  /** One zod schema gives each option's type, default, range and requiredness; help text via flag(). */
  options: S;
  examples?: ReadonlyArray<readonly [command: string, description: string]>;
  /**
   * Library option fields the command passes through, mapped to its flags, so a library error
   * naming `timeLimitS` reads `--time-limit` on the command line.
   */
  fieldFlags?: Readonly<Record<string, string>>;
  run(options: z.output<z.ZodObject<S>>, ctx: CommandContext): CommandOutcome;
}

/**
 * A command line the command refuses after parsing (options that exclude each other): reported
 * like a parse error, with the usage line and exit 2. The message speaks in flags.
 */
export class CommandLineError extends HexplanError {}

/** Identity with inference: the options type flows from the schema into `run`. */
export function defineCommand<S extends z.ZodRawShape>(spec: CommandSpec<S>): CommandSpec<S> {
  return spec;
}

// biome-ignore lint/suspicious/noExplicitAny: the command list holds commands of every option type
export type AnyCommand = CommandSpec<any>;

export function makeContext(
  json: boolean,
  quiet: boolean,
  progressStyle: ProgressStyle,
  savers: InterruptSaver[],
  armInterrupts: () => void = () => {},
): CommandContext {
  return {
    json,
    quiet,
    progressStyle,
    info: (m) => {
      if (!quiet) process.stderr.write(`${m}\n`);
    },
    progress: (label, total) => startProgress(label, total, progressStyle),
    emit: (schemaName, value, render) => {
      if (json) {
        process.stdout.write(toJsonText(withSchema(schemaName, value)));
        return;
      }
      // An empty rendering (e.g. validate with only problems, which go to stderr) prints nothing.
      const text = render().replace(/\n*$/, '');
      if (text !== '') process.stdout.write(`${text}\n`);
    },
    onInterrupt: (save) => {
      savers.push(save);
      armInterrupts();
    },
  };
}
