import { describe, expect, it } from 'vitest';
import {
  ASSUMED_DECODE_CONTEXT_PER_SEQ,
  calibrationSensitivity,
  calibrationTable,
  crossGpuCheck,
  derivedFactors,
  deriveEfficiency,
  SPLITWISE_MEASUREMENTS,
  speedRatios,
} from '../../src/profile/calibration.ts';
import { CALIBRATION_TOLERANCE, calibrationMarkdown } from '../../src/profile/calibrationReport.ts';
import { loadCatalog } from '../../src/profile/catalog.ts';
import { decodeStepMs, prefillMs } from '../../src/profile/formulas.ts';
import { rooflineProfile } from '../../src/profile/roofline.ts';

const catalog = loadCatalog();
const llm = catalog.llms.get('Llama-2-70B')!;

describe('calibration against Splitwise (Llama-2-70B, TP2)', () => {
  it('derives factors that reproduce their three points exactly (by construction)', () => {
    for (const [name, m] of Object.entries(SPLITWISE_MEASUREMENTS.gpus)) {
      const gpu = catalog.gpus.get(name)!;
      const eff = deriveEfficiency(gpu, llm, 2, { prefillTokens: 2048, ...m });
      const p = rooflineProfile({ ...gpu, efficiency: eff }, llm, 2);
      const c = ASSUMED_DECODE_CONTEXT_PER_SEQ;
      expect(prefillMs(p, 2048)).toBeCloseTo(m.prefillMs, 6);
      expect(decodeStepMs(p, 1, c)).toBeCloseTo(m.decodeB1Ms, 6);
      expect(decodeStepMs(p, 32, 32 * c)).toBeCloseTo(m.decodeB32Ms, 6);
      for (const v of Object.values(eff)) expect(v).toBeGreaterThan(0);
      for (const v of Object.values(eff)) expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('stores factors in models/gpus.json within 0.1% of every measurement', () => {
    const rows = calibrationTable(catalog);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(Math.abs(r.relError)).toBeLessThanOrEqual(CALIBRATION_TOLERANCE);
    for (const f of derivedFactors(catalog)) {
      expect(f.stored.prefill_mfu).toBeCloseTo(f.derived.prefill_mfu, 3);
      expect(f.stored.decode_hbm).toBeCloseTo(f.derived.decode_hbm, 3);
      expect(f.stored.decode_seq_mfu).toBeCloseTo(f.derived.decode_seq_mfu, 3);
    }
  });

  it('reproduces the measured H100/A100 speed ratios (prefill 2.23×, decode 1.48× and 1.38×)', () => {
    for (const r of speedRatios(calibrationTable(catalog))) {
      expect(r.predicted / r.measured - 1).toBeLessThan(0.002);
      expect(r.predicted / r.measured - 1).toBeGreaterThan(-0.002);
    }
  });

  it('shows the spec-only roofline (A100 factors on H100 specs) overstating the H100 (out of sample)', () => {
    const rows = crossGpuCheck(catalog);
    // Hand check of the prefill row: A100-derived MFU on 2×989 TFLOPS is faster than measured 308 ms.
    expect(rows[0]!.predictedMs).toBeLessThan(308);
    for (const r of rows) expect(r.relError).toBeLessThan(0);
  });

  it('derives decode_hbm independently of the assumed context; decode_seq_mfu grows with it', () => {
    const s = calibrationSensitivity(catalog, [0, 2048]).filter((x) => x.gpu.startsWith('A100'));
    expect(s[0]!.decode_hbm).toBeCloseTo(s[1]!.decode_hbm, 12);
    expect(s[0]!.prefill_mfu).toBeCloseTo(s[1]!.prefill_mfu, 12);
    expect(s[1]!.decode_seq_mfu).toBeGreaterThan(s[0]!.decode_seq_mfu);
    // Closed form: 32·t(1) − t(32) = 31·W / (BW·decode_hbm), W = 138 GB, BW = 2 × 2039 GB/s.
    const hbm = (31 * 138e9) / (2 * 2039e9) / ((32 * 54.9 - 72.2) / 1000);
    expect(s[0]!.decode_hbm).toBeCloseTo(hbm, 9);
  });

  it('renders the markdown table docs/data.md embeds', () => {
    const md = calibrationMarkdown(catalog);
    expect(md).toContain('| A100-SXM4-80GB | prefill 2048 tokens | 686.0 |');
    expect(md).toContain('reproduced by');
    expect(md).toContain('met');
  });
});
