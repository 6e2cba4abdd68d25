import { z } from 'zod';
import { buildPlacementModel } from '../placement/build.ts';
import { writeLp } from '../solver/export/lp.ts';
import { writeMps } from '../solver/export/mps.ts';
import { scenarioFrom, writeOutput } from './common.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag } from './options.ts';
import { PLACEMENT_FIELD_FLAGS, placementFlags, placementOptionsFrom } from './plan.ts';

export const exportLpCommand = defineCommand({
  options: {
    ...placementFlags(),
    format: flag(z.enum(['lp', 'mps']).default('lp'), { describe: 'file format' }),
    output: outputFlag('model file to write', true),
  },
  fieldFlags: PLACEMENT_FIELD_FLAGS,
  examples: [
    ['$0 export-lp -w instances/workloads/small.json --format mps -o small.mps', 'the small model as MPS'],
  ],
  run: (o, ctx) => {
    const scenario = scenarioFrom(o);
    const pm = buildPlacementModel(scenario, placementOptionsFrom(o));
    const text = o.format === 'mps' ? writeMps(pm.model) : writeLp(pm.model);
    writeOutput(o.output, text);
    const out = {
      workload: scenario.workloadFile,
      cluster: scenario.clusterFile,
      output: o.output,
      format: o.format,
      formulation: pm.formulation,
      delta_s: pm.deltaS,
      columns: pm.stats.columns,
      binaries: pm.stats.binaries,
      rows: pm.stats.rows,
      heuristic_upper_bound: pm.heuristic.value,
      heuristic_source: pm.heuristic.source,
    };
    ctx.emit(
      'export-lp-result',
      out,
      () =>
        `${o.output}: ${pm.formulation} placement model, ${out.columns} columns (${out.binaries} binary), ${out.rows} rows; ` +
        `objective ≤ ${pm.heuristic.value} (${pm.heuristic.source})`,
    );
  },
});
