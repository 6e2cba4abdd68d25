import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../src/io/loadDocument.ts';
import { BUNDLED_RATIOS, builtinProfile, calibration } from '../../src/profile/builtin.ts';
import {
  FITTED_POINT_TOLERANCE,
  leaveOneGpuOut,
  leaveOneTpOut,
  pointTable,
  RATIO_TARGET,
  ratioSensitivity,
  ratioTable,
} from '../../src/profile/calibration.ts';
import { CROSS_VALIDATION_TARGET, calibrationMarkdown } from '../../src/profile/calibrationReport.ts';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { batchedPrefillMs, decodeStepMs, prefillMs } from '../../src/profile/formulas.ts';
import { GpuRatios } from '../../src/schema/measurements.ts';

const catalog = loadCatalog();
const gpu = (name: string) => catalog.gpus.get(name)!;
const llm = (name: string) => catalog.llms.get(name)!;

describe('calibrated profiles (Splitwise Llama-2-70B, TP2 and TP8, A100 and H100)', () => {
  it('holds every fitted point within the stated tolerance', () => {
    const fitted = pointTable(catalog).filter((p) => p.use === 'fitted' && p.kind !== 'generation');
    expect(fitted.length).toBeGreaterThan(90);
    for (const p of fitted)
      expect(
        Math.abs(p.rel_error),
        `${p.gpu} TP${p.tp} ${p.kind} ${p.batch}×${p.tokens}`,
      ).toBeLessThanOrEqual(FITTED_POINT_TOLERANCE[p.kind as 'prefill' | 'decode']);
  });

  it('predicts prefill and decode at a TP degree left out within the targets (leave one (GPU, TP) out)', () => {
    const rows = leaveOneTpOut(catalog);
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.mean_abs_error, r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.mean_abs_error);
      expect(Math.abs(r.worst_error), r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.worst_abs_error);
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
      expect(Math.abs(p.rel_error), `${p.model} ${p.tokens}`).toBeLessThan(0.15);
    }
  });

  it('gives H200/H100 throughput ratios within RATIO_TARGET of every published TensorRT-LLM one (Llama-3.1-8B TP1)', () => {
    const rows = ratioTable(catalog);
    expect(rows).toHaveLength(10);
    for (const r of rows) {
      // Measured now, at the runs' FP8: -8.0% to +2.6%, all 10 within 10% (docs/calibration.md).
      expect(Math.abs(r.rel_error), `${r.input_tokens}/${r.output_tokens}`).toBeLessThanOrEqual(RATIO_TARGET);
      expect(r.batches[0]).toBeGreaterThanOrEqual(r.batches[1]);
    }
    // Not a constant offset: the errors straddle zero (BF16 profiles were above at every length).
    expect(Math.min(...rows.map((r) => r.rel_error))).toBeLessThan(0);
    expect(Math.max(...rows.map((r) => r.rel_error))).toBeGreaterThan(0);
  });

  it("evaluates a model at a published run's precision: FP8 weights halve the weight read and memory", () => {
    const l8 = llm('Llama-3.1-8B');
    const h100 = gpu('H100-SXM5-80GB');
    const bf16 = builtinProfile(catalog, h100, l8, 1);
    const fp8 = builtinProfile(catalog, h100, l8, 1, 'test', {
      weightBytesPerParam: 1,
      kvBytesPerElement: 2,
      matmulSpeedup: 2,
    });
    expect(fp8.weight_bytes).toBe(bf16.weight_bytes / 2);
    expect(fp8.kv_bytes_per_token).toBe(bf16.kv_bytes_per_token);
    expect(fp8.decode.d0_ms).toBeCloseTo(bf16.decode.d0_ms / 2, 9);
    // The KV read per context token is the KV's bytes, not the weights': unchanged at BF16 KV.
    expect(fp8.decode.d2_ms_per_token).toBeCloseTo(bf16.decode.d2_ms_per_token, 12);
    expect(fp8.prefill.p1_ms_per_token).toBeCloseTo(bf16.prefill.p1_ms_per_token / 2, 12);
    expect(fp8.prefill.p0_ms).toBe(bf16.prefill.p0_ms);
    expect(fp8.decode.d1_ms_per_seq).toBe(bf16.decode.d1_ms_per_seq);
    const fp8kv = builtinProfile(catalog, h100, l8, 1, 'test', {
      weightBytesPerParam: 1,
      kvBytesPerElement: 1,
      matmulSpeedup: 2,
    });
    expect(fp8kv.kv_bytes_per_token).toBe(bf16.kv_bytes_per_token / 2);
    expect(fp8kv.decode.d2_ms_per_token).toBeCloseTo(bf16.decode.d2_ms_per_token / 2, 12);
    expect(fp8kv.provenance.notes).toMatch(/served at 1 bytes per weight, 1 per KV element/);
    expect(bf16.provenance.notes).not.toMatch(/served at/);
  });

  it('misses the published ratios when the FP8 runs are evaluated at BF16: precision was the old bias', () => {
    const rows = ratioSensitivity(catalog);
    expect(rows[0]!.what).toMatch(/the check above/);
    expect(rows[0]!.within).toBe(rows[0]!.points);
    const bf16 = rows.find((r) => /in BF16 \(the catalog precision\)/.test(r.what))!;
    // Measured: BF16 everywhere puts every ratio above the published one (+1.4% to +11.7%).
    expect(bf16.min_error).toBeGreaterThan(0);
    expect(bf16.within).toBeLessThan(bf16.points);
    // Either KV precision meets the target (the perf overview does not state it).
    const bf16Kv = rows.find((r) => r.what === 'KV cache in BF16')!;
    expect(bf16Kv.within).toBe(bf16Kv.points);
  });

  it('rejects a ratio file whose serving figures miss a compared GPU, naming the field', () => {
    const doc = JSON.parse(readFileSync(BUNDLED_RATIOS[0]!, 'utf8'));
    delete doc.serving.matmul_dense_tflops['H100-SXM5-80GB'];
    const file = join(mkdtempSync(join(tmpdir(), 'hexplan-ratios-')), 'ratios.json');
    writeFileSync(file, JSON.stringify(doc));
    expect(() => loadFile(file, GpuRatios)).toThrow(
      `${file}: serving.matmul_dense_tflops.H100-SXM5-80GB: missing H100-SXM5-80GB`,
    );
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
      expect(r.mean_abs_error, r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.mean_abs_error);
      expect(Math.abs(r.worst_error), r.held).toBeLessThanOrEqual(CROSS_VALIDATION_TARGET.worst_abs_error);
    }
    // Prefill across architectures misses (worst 21–24%): the matmul efficiency differs.
    for (const r of rows.filter((x) => x.kind === 'prefill'))
      expect(Math.abs(r.worst_error)).toBeLessThan(0.3);
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
      `| ${loto.held} | ${loto.kind} | ${loto.points} | ${(100 * loto.mean_abs_error).toFixed(1)}% |`,
    );
  });
});
