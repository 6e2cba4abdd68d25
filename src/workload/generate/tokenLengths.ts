import { mean, quantileSorted, standardDeviation } from 'simple-statistics';
import { z } from 'zod';
import { loadFile } from '../../io/loadDocument.ts';
import { packagePath } from '../../io/packageRoot.ts';
import type { Rng } from '../../util/random.ts';

export const TOKEN_LENGTHS_SCHEMA = 'hexplan/token-lengths@1';
export const BUNDLED_TOKEN_LENGTHS = packagePath('models', 'token-lengths.json');

/** The attribution CC-BY-4.0 requires wherever numbers derived from the trace are used. */
export const AZURE_CONV_ATTRIBUTION =
  'Azure LLM inference trace 2023 (conversation), AzurePublicDataset, released with Splitwise: ' +
  'Patel et al., ISCA 2024. License: CC-BY-4.0.';

const Summary = z.strictObject({
  count: z.number().int().positive(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
});

/**
 * A token-length distribution fitted to a trace column. Two fits are recorded: a lognormal by
 * maximum likelihood (a compact parametric summary) and the empirical quantile function (101
 * percentiles, sampled by inverse transform with linear interpolation). `sampler` names the
 * one generators draw from; each fit's Kolmogorov–Smirnov distance to the data says why.
 */
export const LengthFit = z.strictObject({
  sampler: z.enum(['empirical', 'lognormal']),
  /** Draws are rounded and clamped into [min, max]. */
  clamp: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  /** Fraction of trace rows outside the clamp range. */
  clamped_fraction: z.number().nonnegative(),
  data: Summary,
  lognormal: z.strictObject({
    mu: z.number(),
    sigma: z.number().positive(),
    ks_distance: z.number().nonnegative(),
    median: z.number(),
    mean: z.number(),
    p90: z.number(),
    p99: z.number(),
  }),
  empirical: z.strictObject({
    /** percentiles[i] = the i-th percentile of the data, i = 0..100. */
    percentiles: z.array(z.number()).length(101),
    ks_distance: z.number().nonnegative(),
  }),
});
export type LengthFit = z.infer<typeof LengthFit>;

export const TokenLengths = z.strictObject({
  schema: z.literal(TOKEN_LENGTHS_SCHEMA),
  source: z.strictObject({
    file: z.string(),
    rows: z.number().int().positive(),
    attribution: z.string(),
    license: z.string(),
    fitted_by: z.string(),
  }),
  input_tokens: LengthFit,
  output_tokens: LengthFit,
});
export type TokenLengths = z.infer<typeof TokenLengths>;

export function loadTokenLengths(file = BUNDLED_TOKEN_LENGTHS): TokenLengths {
  return loadFile(file, TokenLengths);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7): enough for a KS distance. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** z-quantiles of the standard normal used to report fitted percentiles. */
const Z90 = 1.2815515655446004;
const Z99 = 2.3263478740408408;

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Kolmogorov–Smirnov distance between sorted data and a continuous CDF (ties handled as steps). */
function ksDistance(sorted: readonly number[], cdf: (x: number) => number): number {
  const n = sorted.length;
  let ks = 0;
  let first = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i]!;
    if (i + 1 < n && sorted[i + 1] === v) continue;
    const model = cdf(v);
    ks = Math.max(ks, Math.abs((i + 1) / n - model), Math.abs(first / n - model));
    first = i + 1;
  }
  return ks;
}

/** CDF of the piecewise-linear quantile function through the 101 percentiles. */
function percentileCdf(percentiles: readonly number[], x: number): number {
  if (x < percentiles[0]!) return 0;
  if (x >= percentiles[100]!) return 1;
  let i = 0;
  while (i < 99 && percentiles[i + 1]! <= x) i++;
  const lo = percentiles[i]!;
  const hi = percentiles[i + 1]!;
  return (i + (hi > lo ? (x - lo) / (hi - lo) : 1)) / 100;
}

/** Fits positive lengths (lognormal MLE and empirical percentiles) and reports how well each fits. */
export function fitLengths(values: readonly number[], clamp: [number, number]): LengthFit {
  if (values.length < 2) throw new Error('fitLengths needs at least two values');
  const logs = values.map((v) => Math.log(v));
  const mu = mean(logs);
  const sigma = standardDeviation(logs); // population sd: the MLE
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const percentiles = Array.from({ length: 101 }, (_, i) => quantileSorted(sorted, i / 100));
  const outside = sorted.filter((v) => v < clamp[0] || v > clamp[1]).length;
  const ksLog = ksDistance(sorted, (x) => normalCdf((Math.log(x) - mu) / sigma));
  const ksEmp = ksDistance(sorted, (x) => percentileCdf(percentiles, x));
  return {
    sampler: ksEmp < ksLog ? 'empirical' : 'lognormal',
    clamp,
    clamped_fraction: round(outside / n, 6),
    data: {
      count: n,
      min: sorted[0]!,
      max: sorted[n - 1]!,
      mean: round(mean(sorted), 2),
      p50: quantileSorted(sorted, 0.5),
      p90: quantileSorted(sorted, 0.9),
      p99: quantileSorted(sorted, 0.99),
    },
    lognormal: {
      mu: round(mu, 6),
      sigma: round(sigma, 6),
      ks_distance: round(ksLog),
      median: round(Math.exp(mu), 2),
      mean: round(Math.exp(mu + (sigma * sigma) / 2), 2),
      p90: round(Math.exp(mu + Z90 * sigma), 2),
      p99: round(Math.exp(mu + Z99 * sigma), 2),
    },
    empirical: { percentiles, ks_distance: round(ksEmp) },
  };
}

/** One length drawn from a fit's sampler, scaled, rounded and clamped. */
export function drawLength(rng: Rng, fit: LengthFit, scale = 1): number {
  let x: number;
  if (fit.sampler === 'lognormal') x = rng.lognormal(fit.lognormal.mu, fit.lognormal.sigma);
  else {
    const u = rng.next() * 100;
    const i = Math.min(99, Math.floor(u));
    const lo = fit.empirical.percentiles[i]!;
    const hi = fit.empirical.percentiles[i + 1]!;
    x = lo + (hi - lo) * (u - i);
  }
  const v = Math.round(scale * x);
  return Math.min(fit.clamp[1], Math.max(fit.clamp[0], v));
}
