import type { Workload } from '../schema/workload.ts';
import { scaleLoad } from './classes.ts';

/** How the workload was turned into the load provisioned for. */
export interface LoadShape {
  rate_multiplier: number;
  /** Copies of the workload laid end to end (1: the trace as given). */
  copies: number;
  /** Seconds from the first to the last arrival of the provisioned workload. */
  arrivals_span_s: number;
  workflows: number;
  /**
   * `sustained`: tiled so that the rate holds for the stated horizon; `trace`: the workload as
   * given (multiplier 1); `burst`: the trace compressed by the multiplier and not tiled, so it
   * lasts 1/m as long: the answer sizes for a burst of that many workflows, not a steady rate.
   */
  kind: 'sustained' | 'trace' | 'burst';
}

/**
 * The workload at load ×m: arrivals compressed to arrival_s / m, then tiled (copies shifted by
 * one period, ids suffixed `~k`) until the arrivals span at least `horizonS`. Why tile: a
 * compressed finite trace gets shorter as m grows, so its tail (the last workflows draining an
 * idle cluster) weighs more and the cost-versus-load curve flattens because the trace ran out,
 * not because the cluster keeps up. The period is the compressed span plus one mean gap, so the
 * seam between copies has the trace's own spacing.
 */
export function sustainedLoad(
  workload: Workload,
  rateMultiplier: number,
  horizonS: number | null,
): { workload: Workload; shape: LoadShape } {
  const scaled = scaleLoad(workload, rateMultiplier);
  const arrivals = scaled.workflows.map((w) => w.arrival_s);
  const first = Math.min(...arrivals);
  const last = Math.max(...arrivals);
  const span = last - first;
  const n = arrivals.length;
  const period = n > 1 ? span + span / (n - 1) : span;
  const copies = horizonS !== null && period > 0 ? Math.max(1, Math.ceil((horizonS - span) / period) + 1) : 1;
  const tiled: Workload =
    copies === 1
      ? scaled
      : {
          ...scaled,
          workflows: Array.from({ length: copies }, (_, k) =>
            scaled.workflows.map((w) => ({
              ...w,
              id: k === 0 ? w.id : `${w.id}~${k}`,
              arrival_s: w.arrival_s + k * period,
            })),
          ).flat(),
        };
  const kind =
    copies > 1 ? 'sustained' : rateMultiplier === 1 ? 'trace' : horizonS === null ? 'burst' : 'sustained';
  return {
    workload: tiled,
    shape: {
      rate_multiplier: rateMultiplier,
      copies,
      arrivals_span_s: span + (copies - 1) * period,
      workflows: tiled.workflows.length,
      kind,
    },
  };
}

/** Seconds from the first to the last arrival. */
export function arrivalsSpanS(workload: Workload): number {
  const a = workload.workflows.map((w) => w.arrival_s);
  return Math.max(...a) - Math.min(...a);
}
