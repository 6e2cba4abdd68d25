import { basename } from 'node:path';
import type { z } from 'zod';
import { HexplanError } from '../errors.ts';
import { PROFILES_SCHEMA, type Profile, type Profiles } from '../schema/profile.ts';
import type { FitQuality as FitQualitySchema } from '../schema/results/profile.ts';
import { type CsvRow, csvNumber, readCsv } from '../util/csv.ts';
import { builtinProfile } from './builtin.ts';
import { type Catalog, loadCatalog, requireGpu, requireLlm } from './catalog.ts';
import { decodeStepMs, prefillMs } from './formulas.ts';
import { fitErrors, nonnegativeLeastSquares } from './leastSquares.ts';

/** Column names of the measurement CSVs (a header row is required; `#` starts a comment). */
export const PREFILL_COLUMNS = ['batch_tokens', 'prefill_ms'] as const;
export const DECODE_COLUMNS = ['batch', 'context_tokens', 'step_ms'] as const;

export interface PrefillPoint {
  tokens: number;
  ms: number;
}
export interface DecodePoint {
  batch: number;
  contextTokens: number;
  ms: number;
}

/** How well a fitted phase matches its measurements, as `fit-profile --json` reports it. */
export type FitQuality = z.output<typeof FitQualitySchema>;

export interface ProfileFit {
  profile: Profile;
  prefill: FitQuality;
  decode: FitQuality;
}

const positive = (x: number) => (x > 0 ? null : 'must be > 0');
const positiveInt = (x: number) => (x > 0 && Number.isInteger(x) ? null : 'must be a positive integer');
const nonnegative = (x: number) => (x >= 0 ? null : 'must be >= 0');

export function readPrefillCsv(file: string): PrefillPoint[] {
  return readCsv(file, PREFILL_COLUMNS).map((r: CsvRow) => ({
    tokens: csvNumber(file, r, 'batch_tokens', positiveInt),
    ms: csvNumber(file, r, 'prefill_ms', positive),
  }));
}

export function readDecodeCsv(file: string): DecodePoint[] {
  return readCsv(file, DECODE_COLUMNS).map((r: CsvRow) => ({
    batch: csvNumber(file, r, 'batch', positiveInt),
    contextTokens: csvNumber(file, r, 'context_tokens', nonnegative),
    ms: csvNumber(file, r, 'step_ms', positive),
  }));
}

/** Distinct rows of a design matrix: fewer than the coefficients means the fit is underdetermined. */
function distinctRows(rows: number[][]): number {
  return new Set(rows.map((r) => r.join(','))).size;
}

/**
 * Fits docs/concepts.md's profile coefficients to measured points by nonnegative least squares:
 * prefill_ms(T) = p0 + p1·T + p2·T² and decode_step_ms(B, C) = d0 + d1·B + d2·C.
 * Memory, KV size, price and power come from the catalog (they are specs, not timings).
 */
export function fitProfile(
  spec: { gpu: string; model: string; tp: number },
  prefill: PrefillPoint[],
  decode: DecodePoint[],
  options: { catalog?: Catalog; prefillSource?: string; decodeSource?: string } = {},
): ProfileFit {
  const catalog = options.catalog ?? loadCatalog();
  const gpu = requireGpu(catalog, spec.gpu, 'gpu');
  const llm = requireLlm(catalog, spec.model, 'model');
  if (!Number.isInteger(spec.tp) || spec.tp < 1)
    throw new HexplanError(`tp: must be a positive integer, got ${spec.tp}`, { field: 'tp' });
  const prefillSource = options.prefillSource ?? 'prefill points';
  const decodeSource = options.decodeSource ?? 'decode points';

  const pa = prefill.map((p) => [1, p.tokens, p.tokens * p.tokens]);
  if (distinctRows(pa) < 3) {
    throw new HexplanError(
      `${prefillSource}: need at least 3 distinct batch_tokens values to fit p0 + p1·T + p2·T² (got ${distinctRows(pa)})`,
    );
  }
  const da = decode.map((d) => [1, d.batch, d.contextTokens]);
  if (distinctRows(da) < 3) {
    throw new HexplanError(
      `${decodeSource}: need at least 3 distinct (batch, context_tokens) points to fit d0 + d1·B + d2·C (got ${distinctRows(da)})`,
    );
  }
  const [p0, p1, p2] = nonnegativeLeastSquares(
    pa,
    prefill.map((p) => p.ms),
  ) as [number, number, number];
  const [d0, d1, d2] = nonnegativeLeastSquares(
    da,
    decode.map((d) => d.ms),
  ) as [number, number, number];

  const base = builtinProfile(catalog, gpu, llm, spec.tp);
  const profile: Profile = {
    ...base,
    prefill: { p0_ms: p0, p1_ms_per_token: p1, p2_ms_per_token2: p2 },
    decode: { d0_ms: d0, d1_ms_per_seq: d1, d2_ms_per_token: d2 },
    provenance: { method: 'fitted', source: '', notes: '' },
  };
  const pq = fitErrors(
    prefill.map((p) => prefillMs(profile, p.tokens)),
    prefill.map((p) => p.ms),
  );
  const dq = fitErrors(
    decode.map((d) => decodeStepMs(profile, d.batch, d.contextTokens)),
    decode.map((d) => d.ms),
  );
  const prefillQ = { points: prefill.length, rmse_ms: pq.rmse, max_rel_error: pq.maxRelError };
  const decodeQ = { points: decode.length, rmse_ms: dq.rmse, max_rel_error: dq.maxRelError };
  profile.provenance = {
    method: 'fitted',
    source:
      `nonnegative least squares on ${prefill.length} prefill points (${basename(prefillSource)}) and ` +
      `${decode.length} decode points (${basename(decodeSource)}); memory, KV, price and power from the catalog`,
    fit_rmse_ms: Number(Math.max(pq.rmse, dq.rmse).toPrecision(6)),
    notes:
      `prefill RMSE ${pq.rmse.toPrecision(4)} ms, max relative error ${(100 * pq.maxRelError).toFixed(2)}%; ` +
      `decode RMSE ${dq.rmse.toPrecision(4)} ms, max relative error ${(100 * dq.maxRelError).toFixed(2)}%`,
  };
  return { profile, prefill: prefillQ, decode: decodeQ };
}

/** Reads both CSVs and fits; errors name the file and line. */
export function fitProfileFromCsv(
  spec: { gpu: string; model: string; tp: number },
  prefillCsv: string,
  decodeCsv: string,
  catalog?: Catalog,
): ProfileFit {
  return fitProfile(spec, readPrefillCsv(prefillCsv), readDecodeCsv(decodeCsv), {
    catalog,
    prefillSource: prefillCsv,
    decodeSource: decodeCsv,
  });
}

/** A profiles document holding `profile`, replacing any profile of the same (gpu, model, tp). */
export function mergeProfiles(existing: Profiles | null, profile: Profile): Profiles {
  const others = (existing?.profiles ?? []).filter(
    (p) => !(p.gpu === profile.gpu && p.model === profile.model && p.tp === profile.tp),
  );
  return { schema: PROFILES_SCHEMA, profiles: [...others, profile] };
}
