import yargs, { type CommandModule } from 'yargs';
import { HexplanError } from '../errors.ts';
import { checkOutputFolders } from './common.ts';
import { usageFail } from './exitCodes.ts';

/**
 * Commands not yet on defineCommand: the yargs command module path. yargs may run a command's
 * handler before its strict check fails, so the command line is parsed once with a handler
 * that does nothing, and the command runs only when that pass raised no usage error.
 */
export async function runLegacy(
  // biome-ignore lint/suspicious/noExplicitAny: each legacy command has its own argument type
  module: CommandModule<any, any>,
  describe: string,
  args: string[],
): Promise<number> {
  let usageError: string | null = null;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const parserFor = (command: CommandModule<any, any>) =>
    yargs(args)
      .scriptName('hexplan')
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object on stdout' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress or status lines on stderr' })
      .middleware(checkOutputFolders)
      .strict()
      .help()
      .version(false)
      .exitProcess(false)
      .fail((msg, err) => {
        if (err) throw err;
        usageError = msg;
      })
      .command({ ...command, describe });
  try {
    const helpOnly = args.includes('--help') || args.includes('-h');
    if (!helpOnly) {
      await parserFor({ ...module, handler: () => {} }).parseAsync();
      if (usageError) return usageFail(usageError);
    }
    await parserFor(module).parseAsync();
  } catch (err) {
    if (err instanceof HexplanError) {
      process.stderr.write(`${err.problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return err.exitCode;
    }
    throw err;
  }
  if (usageError) return usageFail(usageError);
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
