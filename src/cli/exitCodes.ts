/** Exit code of a refused command line (unknown flag, bad value, missing option). */
export const USAGE_EXIT = 2;

/** A command line refused before a command was chosen. */
export function usageFail(message: string): number {
  process.stderr.write(
    `error: ${message}\nusage: hexplan <command> [options]  (hexplan --help lists commands)\n`,
  );
  return USAGE_EXIT;
}
