import cliProgress from 'cli-progress';

/** One long step's progress: `update(done)` as work completes, `stop()` when it ends. */
export interface Progress {
  update(done: number, note?: string): void;
  /** A new estimate of the whole (work whose size is learned as it runs). */
  setTotal(total: number): void;
  stop(): void;
}

export type ProgressStyle = 'bar' | 'lines' | 'none';

/**
 * A terminal gets a redrawn bar; a log or pipe gets one line at most every `lineEveryMs`, so CI
 * logs show a long run is alive without a flood; `--quiet` gets nothing.
 */
export function progressStyle(quiet: boolean, stderr: NodeJS.WriteStream = process.stderr): ProgressStyle {
  if (quiet) return 'none';
  return stderr.isTTY && !process.env.CI ? 'bar' : 'lines';
}

const NONE: Progress = { update() {}, setTotal() {}, stop() {} };

/** Seconds left at the average rate so far; null before anything is done. */
export function etaS(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= 0) return null;
  return Math.max(0, ((total - done) * elapsedMs) / done / 1000);
}

function etaText(s: number | null): string {
  if (s === null) return 'ETA -';
  if (s < 90) return `ETA ${Math.round(s)} s`;
  if (s < 5400) return `ETA ${Math.round(s / 60)} min`;
  return `ETA ${(s / 3600).toFixed(1)} h`;
}

export function startProgress(
  label: string,
  total: number,
  style: ProgressStyle,
  opts: { lineEveryMs?: number; now?: () => number; write?: (s: string) => void } = {},
): Progress {
  if (style === 'none' || total <= 0) return NONE;
  const now = opts.now ?? Date.now;
  const started = now();
  if (style === 'bar') {
    const bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} [{bar}] {percentage}% {value}/{total} | ETA {eta_formatted} {note}`,
        // Cursor and line wrap stay as they are: a process killed by a signal it does not
        // handle (Ctrl-C in a synchronous phase) cannot restore them.
        hideCursor: false,
        linewrap: true,
        barsize: 24,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { note: '' });
    activeBars.add(bar);
    return {
      update: (done, note = '') => bar.update(done, { note }),
      setTotal: (t) => bar.setTotal(t),
      stop: () => {
        activeBars.delete(bar);
        bar.stop();
      },
    };
  }
  const write = opts.write ?? ((s: string) => process.stderr.write(s));
  const every = opts.lineEveryMs ?? 10_000;
  let lastLine = started;
  let last = 0;
  let whole = total;
  const line = (done: number, note: string) => {
    const pct = ((100 * done) / whole).toFixed(0);
    write(
      `${label}: ${done}/${whole} (${pct}%), ${etaText(etaS(done, whole, now() - started))}${note ? `, ${note}` : ''}\n`,
    );
  };
  return {
    update(done, note = '') {
      last = done;
      const t = now();
      if (t - lastLine >= every) {
        lastLine = t;
        line(done, note);
      }
    },
    setTotal(t) {
      whole = Math.max(1, t);
    },
    stop() {
      if (now() - started >= every) line(last, 'done');
    },
  };
}

const activeBars = new Set<cliProgress.SingleBar>();

/** Stops every drawn bar, which shows the cursor again: an interrupt must leave a usable terminal. */
export function stopAllBars(): void {
  for (const bar of activeBars) bar.stop();
  activeBars.clear();
}
