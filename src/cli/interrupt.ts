import { stopAllBars } from './progress.ts';

/**
 * What a long command writes when SIGINT or SIGTERM arrives: the best verified result so far,
 * marked interrupted, written atomically. Returns the file written (or null when there is
 * nothing yet worth writing).
 */
export type InterruptSaver = (signal: NodeJS.Signals) => string | null;

const EXIT_CODE: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Shows the cursor and turns line wrap back on, whatever a bar or a child left behind. */
export function restoreTerminal(): void {
  stopAllBars();
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h');
}

/**
 * Installs the signal handlers for one command run; `dispose` removes them. `exit` is
 * process.exit unless a test replaces it. A handler only runs when the event loop is free, so
 * a signal during synchronous work (one simulation) takes effect when that work ends; the
 * solvers run in worker threads, so a signal during a solve is handled at once.
 */
export function installInterruptHandlers(
  savers: InterruptSaver[],
  exit: (code: number) => void = (code) => process.exit(code),
): { dispose: () => void } {
  const onSignal = (signal: NodeJS.Signals) => {
    restoreTerminal();
    const written: string[] = [];
    for (const save of savers) {
      try {
        const file = save(signal);
        if (file) written.push(file);
      } catch (err) {
        process.stderr.write(`error: while saving after ${signal}: ${(err as Error).message}\n`);
      }
    }
    const what = written.length > 0 ? `; best result so far written to ${written.join(', ')}` : '';
    process.stderr.write(`interrupted (${signal})${what}\n`);
    exit(EXIT_CODE[signal] ?? 1);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * The handlers of one command run, installed when the command first registers something to
 * save: a command with nothing to save keeps Node's default, which ends the process at once
 * even in the middle of a long synchronous computation.
 */
export function interruptHandlersOnDemand(savers: InterruptSaver[]): {
  arm: () => void;
  dispose: () => void;
} {
  let installed: { dispose: () => void } | null = null;
  return {
    arm: () => {
      installed ??= installInterruptHandlers(savers);
    },
    dispose: () => installed?.dispose(),
  };
}
