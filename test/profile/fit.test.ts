import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { builtinProfile } from '../../src/profile/builtin.ts';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { fitProfile, fitProfileFromCsv, mergeProfiles } from '../../src/profile/fit.ts';
import { decodeStepMs, prefillMs } from '../../src/profile/formulas.ts';
import { nonnegativeLeastSquares } from '../../src/profile/leastSquares.ts';
import { Profiles } from '../../src/schema/profile.ts';

const catalog = loadCatalog();
const spec = { gpu: 'H100-SXM5-80GB', model: 'Qwen2.5-32B', tp: 1 };
const dir = mkdtempSync(join(tmpdir(), 'hexplan-fit-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

describe('nonnegativeLeastSquares', () => {
  it('recovers exact coefficients and never returns a negative one', () => {
    const a = [1, 2, 3, 4, 5].map((t) => [1, t, t * t]);
    expect(
      nonnegativeLeastSquares(
        a,
        a.map(([, t]) => 2 + 3 * t! + 0.5 * t! * t!),
      ).map((x) => Number(x.toFixed(9))),
    ).toEqual([2, 3, 0.5]);
    // y = 10 − t: unconstrained LS gives a negative slope; NNLS pins it at 0 (best is the mean).
    const b = nonnegativeLeastSquares(
      [1, 2, 3].map((t) => [1, t]),
      [9, 8, 7],
    );
    expect(b[1]).toBe(0);
    expect(b[0]).toBeCloseTo(8, 9);
  });
});

describe('fitProfile', () => {
  it('recovers a known profile from noiseless points (RMSE ≈ 0)', () => {
    const truth = builtinProfile(catalog, catalog.gpus.get(spec.gpu)!, catalog.llms.get(spec.model)!, 1);
    const prefill = [256, 1024, 4096, 8192].map((t) => ({ tokens: t, ms: prefillMs(truth, t) }));
    const decode = [1, 8, 32].flatMap((b) =>
      [512, 2048].map((c) => ({ batch: b, contextTokens: b * c, ms: decodeStepMs(truth, b, b * c) })),
    );
    const fit = fitProfile(spec, prefill, decode, { catalog });
    expect(fit.profile.prefill.p1_ms_per_token).toBeCloseTo(truth.prefill.p1_ms_per_token, 6);
    expect(fit.profile.decode.d2_ms_per_token).toBeCloseTo(truth.decode.d2_ms_per_token, 9);
    expect(fit.prefill.rmse_ms).toBeLessThan(1e-6);
    expect(fit.decode.max_rel_error).toBeLessThan(1e-9);
    expect(fit.profile.provenance.method).toBe('fitted');
    expect(Profiles.safeParse(mergeProfiles(null, fit.profile)).success).toBe(true);
  });

  it('fits the bundled synthetic CSVs (3% noise) and reports the error', () => {
    const fit = fitProfileFromCsv(
      spec,
      'test/fixtures/profile/h100-qwen32b-prefill.csv',
      'test/fixtures/profile/h100-qwen32b-decode.csv',
      catalog,
    );
    expect(fit.prefill.points).toBe(7);
    expect(fit.decode.points).toBe(8);
    expect(fit.prefill.max_rel_error).toBeLessThan(0.1);
    expect(fit.decode.max_rel_error).toBeLessThan(0.06);
    expect(fit.profile.provenance.fit_rmse_ms).toBeGreaterThan(0);
    expect(fit.profile.provenance.notes).toMatch(/prefill RMSE .* max relative error/);
  });

  it('names the file and line of bad CSV input', () => {
    const good = 'test/fixtures/profile/h100-qwen32b-decode.csv';
    const cases: Array<[string, RegExp]> = [
      [
        'batch_tokens,prefill_ms\n128,50\n256,abc\n512,90\n',
        /bad1\.csv: line 3: column "prefill_ms": expected a number, got "abc"/,
      ],
      ['batch_tokens,prefill_ms\n128,50\n256,60,7\n', /bad2\.csv: line 3: malformed CSV/],
      ['tokens,ms\n1,2\n', /bad3\.csv: line 1: missing column "batch_tokens"/],
      ['batch_tokens,prefill_ms\n128,50\n128,51\n', /bad4\.csv: need at least 3 distinct batch_tokens/],
      [
        'batch_tokens,prefill_ms\n-5,50\n',
        /bad5\.csv: line 2: column "batch_tokens": must be a positive integer, got -5/,
      ],
      ['', /bad6\.csv: line 1: empty CSV/],
    ];
    cases.forEach(([text, re], i) => {
      const f = write(`bad${i + 1}.csv`, text);
      let err: unknown;
      try {
        fitProfileFromCsv(spec, f, good, catalog);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HexplanError);
      expect((err as Error).message).toMatch(re);
    });
    const prefillCsv = 'test/fixtures/profile/h100-qwen32b-prefill.csv';
    expect(() => fitProfileFromCsv({ ...spec, gpu: 'B200' }, prefillCsv, good, catalog)).toThrow(
      /^gpu: unknown GPU "B200"/,
    );
  });

  it('merges into an existing profiles document, replacing the same (gpu, model, tp)', () => {
    const a = builtinProfile(catalog, catalog.gpus.get(spec.gpu)!, catalog.llms.get(spec.model)!, 1);
    const b = builtinProfile(catalog, catalog.gpus.get('A100-SXM4-80GB')!, catalog.llms.get(spec.model)!, 2);
    const merged = mergeProfiles({ schema: 'hexplan/profiles@1', profiles: [a, b] }, { ...a, power_w: 1 });
    expect(merged.profiles.map((p) => [p.gpu, p.power_w])).toEqual([
      ['A100-SXM4-80GB', b.power_w],
      ['H100-SXM5-80GB', 1],
    ]);
  });
});
