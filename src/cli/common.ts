import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { HexplanError } from '../errors.ts';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { loadScenario, type Scenario } from '../scenario/scenario.ts';

export function scenarioFrom(argv: { workload: string; cluster: string }): Scenario {
  return loadScenario(argv.workload, argv.cluster);
}

/** Prints a command's result: one JSON object with --json, the human rendering otherwise. */
export function emit(json: boolean, value: unknown, render: () => string): void {
  process.stdout.write(json ? toJsonText(value) : `${render().replace(/\n*$/, '')}\n`);
}

/** Writes an output file atomically (temp file + rename): never half-written. */
export function writeOutput(file: string, content: string): void {
  writeFileAtomic(file, content);
}

export function writeJsonOutput(file: string, value: unknown): void {
  writeFileAtomic(file, toJsonText(value));
}

/** Parses a comma-separated list option, rejecting unknown names with the list of known ones. */
export function parseList(option: string, value: string, known: readonly string[]): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) {
    if (!known.includes(n))
      throw new HexplanError(`--${option}: unknown "${n}" (known: ${known.join(', ')})`);
  }
  if (names.length === 0) throw new HexplanError(`--${option}: empty list`);
  return names;
}

/** Progress on stderr only when it is a terminal, so logs and pipes stay clean. */
export function progressEnabled(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Options that name a file a command writes; their folder is checked before any work starts. */
const OUTPUT_OPTIONS = ['output', 'clusterOut', 'trace'] as const;

/**
 * yargs middleware: a long solve or simulation must not run for minutes only to fail when it
 * writes its result into a folder that does not exist.
 */
export function checkOutputFolders(argv: Record<string, unknown>): void {
  for (const key of OUTPUT_OPTIONS) {
    const file = argv[key];
    if (typeof file !== 'string' || file === '') continue;
    const folder = dirname(file);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      const flag = key === 'clusterOut' ? 'cluster-out' : key;
      throw new HexplanError(`--${flag}: ${file}: folder "${folder}" does not exist`);
    }
  }
}
