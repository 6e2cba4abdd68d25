import { describe, expect, it } from 'vitest';
import { builtinProfile, calibration } from '../../src/profile/builtin.ts';
import {
  FITTED_POINT_TOLERANCE,
  leaveOneGpuOut,
  leaveOneTpOut,
  pointTable,
  ratioTable,
} from '../../src/profile/calibration.ts';
import {
  CROSS_VALIDATION_TARGET,
  calibrationMarkdown,
  RATIO_TARGET,
} from '../../src/profile/calibrationReport.ts';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { batchedPrefillMs, decodeStepMs, prefillMs } from '../../src/profile/formulas.ts';

const catalog = loadCatalog();
const gpu = (name: string) => catalog.gpus.get(name)!;
const llm = (name: string) => catalog.llms.get(name)!;

describe('calibrated profiles (Splitwise Llama-2-70B, TP2 and TP8, A100 and H100)', () => {
  it('holds every fitted point within the stated tolerance', () => {
    const fitted = pointTable(catalog).filter((p) => p.use === 'fitted' && p.kind !== 'generation');
    expect(fitted.length).toBeGreaterThan(90);
    for (const p of fitted)
      expect(Math.abs(p.relError), `${p.gpu} TP${p.tp} ${p.kind} ${p.batch}×${p.tokens}`).toBeLessThanOrEqual(
        FITTED_POINT_TOLERANCE[p.kind as 'prefill' | 'decode'],
      );
  });

  it('predicts prefill and decode at a TP degree left out within the targets (leave one (GPU, TP) out)', () => {
    const rows = leaveOneTpOut(catalog);
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.meanAbsError, r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.meanAbsError);
      expect(Math.abs(r.worstError), r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.worstAbsError);
    }
  });

  it('holds out a prompt slower than a longer one on the same GPU and TP', () => {
    const h100tp8 = pointTable(catalog).filter(
      (p) => p.gpu === 'H100-SXM5-80GB' && p.tp === 8 && p.kind === 'prefill' && p.batch === 1,
    );
    expect(h100tp8.filter((p) => p.use === 'held out').map((p) => p.tokens)).toEqual([128]);
  });

  it('checks the published Qwen2.5 vLLM benchmark without fitting it', () => {
    const checks = pointTable(catalog).filter((p) => p.kind === 'generation');
    expect(checks.map((p) => p.model)).toEqual([
      ...Array(4).fill('Qwen2.5-7B'),
      ...Array(4).fill('Qwen2.5-32B'),
    ]);
    for (const p of checks) {
      expect(p.use).toBe('held out');
      // Measured now: 7B within 3.4%, 32B 9.9–13.1% slow (docs/calibration.md).
      expect(Math.abs(p.relError), `${p.model} ${p.tokens}`).toBeLessThan(0.15);
    }
  });

  it('gives H200/H100 throughput ratios close to the published TensorRT-LLM ones (Llama-3.1-8B TP1)', () => {
    const rows = ratioTable(catalog);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      // Measured now: +2.0% to +12.2%, 9 of 10 within RATIO_TARGET (docs/calibration.md).
      expect(Math.abs(r.relError), `${r.inputTokens}/${r.outputTokens}`).toBeLessThanOrEqual(0.15);
      expect(r.batches[0]).toBeGreaterThanOrEqual(r.batches[1]);
    }
    expect(rows.filter((r) => Math.abs(r.relError) <= RATIO_TARGET).length).toBeGreaterThanOrEqual(9);
  });

  it('cross-validates every GPU from the other one through the datasheet rule', () => {
    const rows = leaveOneGpuOut(catalog);
    expect(rows.map((r) => `${r.held}/${r.kind}`)).toEqual([
      'A100-SXM4-80GB from H100-SXM5-80GB/prefill',
      'A100-SXM4-80GB from H100-SXM5-80GB/decode',
      'H100-SXM5-80GB from A100-SXM4-80GB/prefill',
      'H100-SXM5-80GB from A100-SXM4-80GB/decode',
    ]);
    for (const r of rows.filter((x) => x.kind === 'decode')) {
      expect(r.meanAbsError, r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.meanAbsError);
      expect(Math.abs(r.worstError), r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.worstAbsError);
    }
    // Prefill across architectures misses (worst 21–24%): the matmul efficiency differs.
    for (const r of rows.filter((x) => x.kind === 'prefill'))
      expect(Math.abs(r.worstError)).toBeLessThan(0.3);
  });

  it('makes TP communication explicit: κ > 0, so TP2→TP8 speeds decode far less than 4×', () => {
    const { tpModel } = calibration(catalog);
    expect(tpModel.kappa.d0).toBeGreaterThan(0);
    const l70 = llm('Llama-2-70B');
    for (const name of ['A100-SXM4-80GB', 'H100-SXM5-80GB']) {
      const tp2 = builtinProfile(catalog, gpu(name), l70, 2);
      const tp8 = builtinProfile(catalog, gpu(name), l70, 8);
      const speedup = decodeStepMs(tp2, 1, 576) / decodeStepMs(tp8, 1, 576);
      expect(speedup).toBeGreaterThan(1.1);
      expect(speedup).toBeLessThan(1.5);
      // The measured TP2→TP8 batch-1 speedups are 1.22 (A100) and 1.24 (H100).
    }
  });

  it('gives the H200 the H100 fit scaled by the HBM bandwidth ratio on memory-bound terms', () => {
    const q = llm('Qwen2.5-32B');
    const h100 = builtinProfile(catalog, gpu('H100-SXM5-80GB'), q, 1);
    const h200 = builtinProfile(catalog, gpu('H200-SXM-141GB'), q, 1);
    expect(h100.decode.d0_ms / h200.decode.d0_ms).toBeCloseTo(4800 / 3350, 9);
    expect(h200.prefill.p1_ms_per_token).toBeCloseTo(h100.prefill.p1_ms_per_token, 12);
    expect(h200.memory_bytes).toBe(150754820096);
    expect(h200.provenance.coefficients?.d0_ms).toMatch(/H100-SXM5-80GB fit scaled by the datasheets/);
  });

  it('prices a batched prefill with Σ Tᵢ² attention: cheaper than one prompt of the same total', () => {
    const p = builtinProfile(catalog, gpu('H100-SXM5-80GB'), llm('Qwen2.5-32B'), 1);
    expect(batchedPrefillMs(p, 3000, 3000 ** 2)).toBeCloseTo(prefillMs(p, 3000), 9);
    const batched = batchedPrefillMs(p, 3000, 1000 ** 2 + 2000 ** 2);
    expect(batched).toBeLessThan(prefillMs(p, 3000));
    expect(batched).toBeCloseTo(prefillMs(p, 3000) - p.prefill.p2_ms_per_token2 * (9e6 - 5e6), 9);
  });

  it('renders the README section from the same numbers', () => {
    const md = calibrationMarkdown(catalog);
    expect(md).toMatch(/Leave one \(GPU, TP\) out/);
    const loto = leaveOneTpOut(catalog)[0]!;
    expect(md).toContain(
      `| ${loto.held} | ${loto.kind} | ${loto.points} | ${(100 * loto.meanAbsError).toFixed(1)}% |`,
    );
  });
});
