import yargs from 'yargs';
import { HexplanError } from '../errors.ts';
import { commands } from './commands.ts';
import { checkOutputFolders } from './common.ts';

/**
 * Runs the CLI and returns the exit code. User mistakes (HexplanError, bad options) print a
 * message and return nonzero; anything else is a bug and keeps its stack trace.
 */
export async function main(args: string[]): Promise<number> {
  let usageError: string | null = null;
  // The first argument naming a command is the command (global options may come before it).
  const invokedName = args.find((a) => commands.some((c) => c.name === a));
  const invoked = commands.find((c) => c.name === invokedName);
  const parser = yargs(args)
    .scriptName('hexplan')
    .usage(
      '$0 <command> [options]\n\nOffline planner for agentic LLM serving on heterogeneous PD-disaggregated GPU clusters.',
    )
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object on stdout' })
    .option('seed', {
      type: 'number',
      default: 1,
      describe: 'random seed (same inputs and seed, same output)',
    })
    .middleware(checkOutputFolders)
    .demandCommand(1, 'name a command (see the list above)')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      usageError = msg;
    });
  try {
    for (const entry of commands) {
      if (entry === invoked) parser.command({ ...(await entry.load()), describe: entry.describe });
      else parser.command(entry.name, entry.describe);
    }
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof HexplanError) {
      process.stderr.write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return err.exitCode;
    }
    throw err;
  }
  if (usageError) {
    process.stderr.write(
      `error: ${usageError}\nrun "hexplan --help" or "hexplan <command> --help" for usage\n`,
    );
    return 2;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
