import { readFileSync } from 'node:fs';
import { packagePath } from '../io/packageRoot.ts';
import { commands } from './commands.ts';
import { USAGE_EXIT, usageFail } from './exitCodes.ts';

// Only what `hexplan --help` needs is imported statically: yargs, zod and each command's
// libraries load once a command is chosen (bench/package.ts measures the start-up).

export function packageVersion(): string {
  return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
}

function globalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: hexplan <command> [options]',
    '',
    'Offline planner for agentic LLM serving on heterogeneous PD-disaggregated GPU clusters.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.describe}`),
    '',
    'Options:',
    "  --help, -h     show help (hexplan <command> --help for a command's options)",
    '  --version, -V  print the version',
    '',
    'Exit codes: 0 done, 1 a problem in an input or a failed check, 2 a refused command line,',
    '130/143 interrupted (the best result so far is written, marked interrupted).',
  ].join('\n');
}

/** Edit distance, for "did you mean" on a mistyped command. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/**
 * `hexplan simulate … | head -1`: once the reader closes the pipe, the rest of the output has
 * nowhere to go. That is the reader's choice, not an error: stop quietly, without a stack.
 */
function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr])
    if (stream.listenerCount('error') === 0)
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
}

/**
 * Runs the CLI and returns the exit code. User mistakes (HexplanError, bad options) print a
 * message and return nonzero; anything else is a bug and keeps its stack trace.
 */
export async function main(args: string[]): Promise<number> {
  quietOnClosedPipe();
  // biome-ignore lint/complexity/useIndexOf: the test is "names a command", not equality with one value
  const at = args.findIndex((a) => commands.some((c) => c.name === a));
  if (at < 0) {
    const word = args.find((a) => !a.startsWith('-'));
    if (word !== undefined) {
      const near = commands.map((c) => c.name).filter((n) => distance(n, word) <= 2);
      return usageFail(
        `unknown command "${word}"${near.length > 0 ? ` (did you mean ${near.join(', ')}?)` : ''}`,
      );
    }
    if (args.includes('--version') || args.includes('-V')) {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${globalHelp()}\n`);
      return 0;
    }
    if (args.length > 0) return usageFail(`unknown option ${args[0]} before the command`);
    process.stderr.write(`${globalHelp()}\n`);
    return USAGE_EXIT;
  }
  const entry = commands[commands.findIndex((c) => c.name === args[at])]!;
  const loaded = await entry.load();
  const rest = [...args.slice(0, at), ...args.slice(at + 1)];
  const { runCommand } = await import('./run.ts');
  return runCommand(entry, loaded, rest);
}
