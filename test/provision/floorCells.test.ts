import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HexplanError } from '../../src/errors.ts';
import { buildProvisionedCluster } from '../../src/provision/cluster.ts';
import { planContext } from '../../src/provision/context.ts';
import { decodeCells, standaloneUpperBoundS } from '../../src/provision/floorData.ts';
import { loadProvisionSetup } from '../../src/provision/offers.ts';
import { makeScenario } from '../../src/scenario/scenario.ts';
import { generateWorkload } from '../../src/workload/generate/generate.ts';

const setup = loadProvisionSetup();
const families = ['mixed', 'react', 'mapreduce', 'chat'] as const;

// The cost floor's cells (src/provision/floorData.ts) must cover every cluster, and each
// cell's s⁺ must be at least the standalone time the simulator scores against on every cluster
// of the cell; otherwise the floor's deadlines would be tighter than some real cluster's.
describe('cost floor decode cells', () => {
  it('cover every cluster, and s⁺ of each cell holding it bounds its standalone times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(...families),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 16, maxLength: 16 }),
        (seed, family, draw) => {
          const workload = generateWorkload({ family, workflows: 6, seed, ratePerS: 1 }).workload;
          const ctx = planContext(workload, setup, { quantile: 0.95 });
          const table = ctx.demand.table;
          const types = table.types;
          const counts = types.map((_, t) => draw[t % draw.length]!);
          const present = counts.map((n) => n > 0);
          if (
            !types.some((t, i) => present[i] && t.canPrefill) ||
            !types.some((t, i) => present[i] && t.canDecode)
          )
            return;
          const cluster = buildProvisionedCluster(types, counts, setup);
          let realS: Float64Array;
          try {
            realS = makeScenario(workload, cluster, { catalog: setup.catalog }).standaloneS;
          } catch (e) {
            // The cluster cannot hold some call: it meets nothing, no cell need cover it.
            if (e instanceof HexplanError) return;
            throw e;
          }
          const gpus = [...new Set(types.filter((_, i) => present[i]).map((t) => t.gpu))];
          const inSet = types.map((t) => gpus.includes(t.gpu));
          const holding = decodeCells(workload, table, inSet).filter(
            (cell) => present[cell.fastest] && present.every((p, i) => !p || cell.allowed[i]),
          );
          expect(holding.length).toBeGreaterThan(0);
          const bounds = [
            standaloneUpperBoundS(workload, table, inSet),
            ...holding.map((cell) => standaloneUpperBoundS(workload, table, cell.allowed, cell.fastest)),
          ];
          for (const sPlus of bounds)
            realS.forEach((s, w) => {
              expect(sPlus[w]!).toBeGreaterThanOrEqual(s * (1 - 1e-12));
            });
        },
      ),
      { seed: 20261203, numRuns: 60 },
    );
  });

  it('a cell with a fast decode type gives shorter deadlines than its set', () => {
    const workload = generateWorkload({ family: 'mixed', workflows: 6, seed: 4, ratePerS: 1 }).workload;
    const ctx = planContext(workload, setup, { quantile: 0.95 });
    const table = ctx.demand.table;
    const inSet = table.types.map(() => true);
    const whole = standaloneUpperBoundS(workload, table, inSet);
    const tighter = decodeCells(workload, table, inSet).map((cell) =>
      standaloneUpperBoundS(workload, table, cell.allowed, cell.fastest).reduce((a, b) => a + b, 0),
    );
    expect(Math.min(...tighter)).toBeLessThan(whole.reduce((a, b) => a + b, 0) * 0.95);
  });
});
