import { existsSync } from 'node:fs';
import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { csvNumber, readCsv } from '../../../src/util/csv.ts';
import { Rng } from '../../../src/util/random.ts';
import { drawLength, fitLengths, loadTokenLengths } from '../../../src/workload/generate/tokenLengths.ts';

const TRACE = '../shared/traces/azure-llm-2023-conv.csv';

describe('token-length fits', () => {
  it('recovers lognormal parameters from lognormal data and picks a sampler by KS distance', () => {
    const r = new Rng(5);
    const xs = Array.from({ length: 5000 }, () => Math.max(1, Math.round(r.lognormal(6, 0.7))));
    const fit = fitLengths(xs, [1, 100_000]);
    expect(fit.lognormal.mu).toBeCloseTo(6, 1);
    expect(fit.lognormal.sigma).toBeCloseTo(0.7, 1);
    expect(fit.lognormal.ks_distance).toBeLessThan(0.03);
    expect(fit.empirical.percentiles).toHaveLength(101);
    expect(fit.empirical.percentiles[50]).toBe(median(xs));
  });

  it('bundles the fit with its CC-BY-4.0 attribution, and draws stay in the clamp range', () => {
    const tl = loadTokenLengths();
    expect(tl.source.attribution).toContain(
      'Azure LLM inference trace 2023 (conversation), AzurePublicDataset',
    );
    expect(tl.source.attribution).toContain('Patel et al., ISCA 2024');
    expect(tl.source.license).toContain('CC-BY-4.0');
    const r = new Rng(9);
    const ins = Array.from({ length: 20_000 }, () => drawLength(r, tl.input_tokens));
    expect(Math.min(...ins)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...ins)).toBeLessThanOrEqual(8192);
    // The empirical sampler reproduces the trace's median prompt (1020 tokens) within 5%.
    expect(Math.abs(median(ins) / tl.input_tokens.data.p50 - 1)).toBeLessThan(0.05);
    const outs = Array.from({ length: 20_000 }, () => drawLength(r, tl.output_tokens));
    expect(Math.abs(median(outs) / tl.output_tokens.data.p50 - 1)).toBeLessThan(0.05);
  });

  it.skipIf(!existsSync(TRACE))(
    'models/token-lengths.json is what fitting the real trace gives (not typed)',
    () => {
      const rows = readCsv(TRACE, ['ContextTokens', 'GeneratedTokens']);
      const ctx = rows.map((row) => csvNumber(TRACE, row, 'ContextTokens'));
      const gen = rows.map((row) => csvNumber(TRACE, row, 'GeneratedTokens'));
      const tl = loadTokenLengths();
      expect(fitLengths(ctx, [16, 8192])).toEqual(tl.input_tokens);
      expect(fitLengths(gen, [4, 1000])).toEqual(tl.output_tokens);
      expect(tl.source.rows).toBe(rows.length);
    },
  );
});
