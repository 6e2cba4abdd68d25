/**
 * Exact instants and the arrival clock shared by every importer. Trace timestamps reach
 * 100 ns (Azure) or 1 ns (OTLP) resolution at ~1.7e9 s since the epoch, more digits than a
 * double holds, so an instant is kept as whole seconds plus nanoseconds and only differences
 * (small numbers) become floating point.
 */
import { LIMITS } from '../../schema/limits.ts';
export interface Instant {
  sec: number;
  ns: number;
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.ns - b.ns;
}

/** b − a in seconds. */
export function secondsBetween(a: Instant, b: Instant): number {
  return b.sec - a.sec + (b.ns - a.ns) / 1e9;
}

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil: proleptic Gregorian, no Date (and no time zone) involved.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.fffffff]` (up to 9 fractional digits) as a zone-less wall clock,
 * exactly. Returns the instant, or a message saying what is wrong.
 */
export function parseWallClock(text: string): Instant | string {
  const out = { sec: 0, ns: 0 };
  const problem = parseWallClockInto(text, out);
  return problem ?? out;
}

/** As parseWallClock, writing into `out` (no allocation per row); returns a problem or null. */
export function parseWallClockInto(text: string, out: Instant): string | null {
  const m = WALL_CLOCK.exec(text.trim());
  if (!m) return `"${text}" is not YYYY-MM-DD HH:MM:SS[.fraction]`;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  if (mo < 1 || mo > 12) return `"${text}" has month ${mo}`;
  if (d < 1 || d > daysInMonth(y, mo)) return `"${text}" has day ${d} (month ${mo} of ${y})`;
  if (h > 23 || mi > 59 || s > 59) return `"${text}" has time of day out of range`;
  const frac = m[7] ?? '';
  out.ns = frac === '' ? 0 : Number(frac.padEnd(9, '0'));
  out.sec = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  return null;
}

/** A millisecond timestamp (Mooncake) as an exact instant, for integer or fractional ms. */
export function instantFromMs(ms: number): Instant {
  const sec = Math.floor(ms / 1000);
  let ns = Math.round((ms - sec * 1000) * 1e6);
  if (ns >= 1e9) ns = 1e9 - 1;
  return { sec, ns };
}

/** A decimal nanosecond string (OTLP `startTimeUnixNano`) as an exact instant, or null. */
export function instantFromNanoString(text: string): Instant | null {
  if (!/^\d{1,30}$/.test(text)) return null;
  const digits = text.replace(/^0+(?=\d)/, '');
  if (digits.length > 19) return null; // past year 2286: certainly not a real span time
  const sec = digits.length > 9 ? Number(digits.slice(0, -9)) : 0;
  const ns = Number(digits.slice(-9));
  return { sec, ns };
}

/** Rounds seconds to whole nanoseconds, so arrivals print without binary noise. */
/** Why an import stopped early at an arrival past the workload format's limit. */
export const PAST_LIMIT_REASON = `arrival_s past the limit ${LIMITS.maxTimeS} s (the workload format's limit)`;

export function roundNs(seconds: number): number {
  return Math.round(seconds * 1e9) / 1e9;
}

export type ClockVerdict = 'ok' | 'out-of-order' | 'before-window' | 'after-window' | 'past-limit';

/**
 * Turns row timestamps into arrival offsets: relative to the first valid row, windowed by
 * [startS, endS) and multiplied by timeScale. Rows must not go back in time: a row earlier
 * than the latest accepted one is out of order (arrivals would otherwise depend on file order).
 */
export class ArrivalClock {
  private first: Instant | null = null;
  private latest: Instant | null = null;
  relativeS = 0;

  constructor(
    readonly startS: number,
    readonly endS: number | undefined,
    readonly timeScale: number,
  ) {}

  /** Classifies `t`; on 'ok' (and the window verdicts) `relativeS` holds t − first row. */
  observe(t: Instant): ClockVerdict {
    if (this.first === null) this.first = { sec: t.sec, ns: t.ns };
    if (this.latest === null) this.latest = { sec: t.sec, ns: t.ns };
    else if (compareInstants(t, this.latest) < 0) return 'out-of-order';
    // Copied, not kept: callers may reuse `t` for the next row.
    this.latest.sec = t.sec;
    this.latest.ns = t.ns;
    this.relativeS = secondsBetween(this.first, t);
    if (this.relativeS < this.startS) return 'before-window';
    if (this.endS !== undefined && this.relativeS >= this.endS) return 'after-window';
    // A huge timestamp or --time-scale would give an infinite or imprecise arrival_s.
    if (!(this.arrivalS() <= LIMITS.maxTimeS)) return 'past-limit';
    return 'ok';
  }

  /** Arrival of the last observed row, in output seconds. */
  arrivalS(): number {
    return roundNs((this.relativeS - this.startS) * this.timeScale);
  }
}
