import { describe, expect, it } from 'vitest';
import { buildPlacementModel } from '../../src/placement/build.ts';
import { solvePlacement } from '../../src/placement/solve.ts';
import { loadHighsRuntime } from '../../src/solver/backends/highs.ts';
import { writeLp } from '../../src/solver/export/lp.ts';
import { writeMps } from '../../src/solver/export/mps.ts';
import { tinyScenario } from './tinyInstances.ts';

/**
 * The exported file is the model `plan` solves: an external solver reading it (here HiGHS's
 * own LP/MPS reader, not our backend) finds the same optimum, objective constants included.
 */
describe('export-lp', () => {
  it('LP and MPS files solve to the objective plan reports (mean-scale has a constant term)', async () => {
    const highs = await loadHighsRuntime();
    const solveText = (text: string, format: 'lp' | 'mps') => {
      const hm = highs.createModel({ format, data: text });
      try {
        hm.options.set({ output_flag: false, mip_rel_gap: 1e-9 });
        hm.run();
        return {
          optimal: hm.getModelStatus() === highs.constants.modelStatus.optimal,
          objective: hm.getObjectiveValue(),
        };
      } finally {
        hm.dispose();
      }
    };
    for (const [seed, objective] of [
      [2, 'mean-scale'],
      [4, 'quantile-scale'],
    ] as const) {
      const sc = tinyScenario(seed, { calls: 4 });
      const r = await solvePlacement(sc, { objective, timeLimitS: 30 });
      expect(r.status).toBe('optimal');
      const pm = buildPlacementModel(sc, { objective });
      if (objective === 'mean-scale') expect(pm.model.objective.constant).toBeLessThan(0);
      for (const [format, text] of [
        ['lp', writeLp(pm.model)],
        ['mps', writeMps(pm.model)],
      ] as const) {
        const sol = solveText(text, format);
        expect(sol.optimal).toBe(true);
        const rel = Math.abs(sol.objective - r.upperBound!) / r.upperBound!;
        expect(rel, `${objective} ${format}: file ${sol.objective} vs plan ${r.upperBound}`).toBeLessThan(
          1e-6,
        );
      }
    }
  });
});
