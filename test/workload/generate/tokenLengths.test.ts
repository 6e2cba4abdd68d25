import { median } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { csvNumber, readCsv } from '../../../src/util/csv.ts';
import { Rng } from '../../../src/util/random.ts';
import { drawLength, fitLengths, loadTokenLengths } from '../../../src/workload/generate/tokenLengths.ts';

// The bundled real sample (first 2,000 rows of the trace the models/ fit came from; traces/README.md).
const TRACE = new URL('../../../traces/azure-llm-2023-conv-sample.csv', import.meta.url).pathname;

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

  it('models/token-lengths.json agrees with a fit of the real sample (not typed)', () => {
    const rows = readCsv(TRACE, ['ContextTokens', 'GeneratedTokens']);
    expect(rows.length).toBe(2000);
    const ctx = rows.map((row) => csvNumber(TRACE, row, 'ContextTokens'));
    const gen = rows.map((row) => csvNumber(TRACE, row, 'GeneratedTokens'));
    const tl = loadTokenLengths();
    // The bundled fit used all 19,366 rows; a 2,000-row prefix of the same trace lands close.
    expect(tl.source.rows).toBe(19366);
    const input = fitLengths(ctx, [16, 8192]);
    const output = fitLengths(gen, [4, 1000]);
    expect(Math.abs(input.data.p50 / tl.input_tokens.data.p50 - 1)).toBeLessThan(0.1);
    // Output lengths drift over the hour (the first minutes run long): a prefix's median only
    // stays inside the full trace's p50..p90.
    expect(output.data.p50).toBeGreaterThanOrEqual(tl.output_tokens.data.p50);
    expect(output.data.p50).toBeLessThanOrEqual(tl.output_tokens.data.p90);
    expect(Math.abs(input.lognormal.mu - tl.input_tokens.lognormal.mu)).toBeLessThan(0.15);
  });
});
