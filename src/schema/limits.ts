/**
 * Numeric limits of the file formats. Each keeps every derived quantity finite and every
 * count allocatable: times are doubles in seconds, so a value past these limits either
 * overflows to Infinity (1e308 ms), underflows to 0 (5e-324 GB/s), allocates more memory than
 * exists (2^53 decode slots) or loses the sub-microsecond resolution durations need (an
 * arrival at 1e15 s has a resolution of 0.125 s). docs/reliability.md lists them.
 */
export const LIMITS = {
  /** Latest arrival, seconds (115 days): a double still resolves 2 ns there. */
  maxTimeS: 1e7,
  /** Latest start time in a plan, seconds: arrivals plus a schedule's worth of queueing. */
  maxPlanTimeS: 1e8,
  /** Tokens of one call's prompt or output (10M: beyond any context window). */
  maxTokens: 10_000_000,
  /** Decode slots (concurrent sequences) of one instance. */
  maxDecodeSlots: 65_536,
  /** GPUs per instance (tensor parallelism). */
  maxTp: 64,
  /** Link bandwidth, GB/s: 1 MB/s up to 1 PB/s. */
  minBandwidthGBps: 1e-3,
  maxBandwidthGBps: 1e6,
  /** Link latency, ms (one hour). */
  maxLatencyMs: 3.6e6,
  /** A rate multiplier compresses arrivals by at most this factor either way. */
  minRateMultiplier: 1e-3,
  maxRateMultiplier: 1e3,
} as const;

const fmt = (v: unknown) => (typeof v === 'number' ? String(v) : JSON.stringify(v));

/** The error option of `.max(limit, …)`: `9007199254740991 is above the limit 65536`. */
export const aboveLimit = (limit: number) => ({
  error: (issue: { input?: unknown }) => `${fmt(issue.input)} is above the limit ${limit}`,
});

/** The error option of `.min(limit, …)` where a positive value is still too small to compute with. */
export const belowLimit = (limit: number) => ({
  error: (issue: { input?: unknown }) => `${fmt(issue.input)} is below the limit ${limit}`,
});
