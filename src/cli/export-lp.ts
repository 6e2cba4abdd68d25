import type { CommandModule } from 'yargs';
import { buildPlacementModel } from '../placement/build.ts';
import { writeLp } from '../solver/export/lp.ts';
import { writeMps } from '../solver/export/mps.ts';
import { emit, scenarioFrom, withScenarioOptions, writeOutput } from './common.ts';
import { type PlacementArgs, placementOptionsFrom, withPlacementOptions } from './plan.ts';

interface Args extends PlacementArgs {
  workload: string;
  cluster: string;
  format: 'lp' | 'mps';
  output: string;
  json: boolean;
}

export const exportLpCommand: CommandModule<object, Args> = {
  command: 'export-lp',
  builder: (y) =>
    withPlacementOptions(withScenarioOptions(y))
      .option('format', { type: 'string', choices: ['lp', 'mps'], default: 'lp' })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'output file' })
      .example(
        '$0 export-lp -w instances/workloads/small.json --format mps -o small.mps',
        'the small model as MPS',
      ) as never,
  handler: (argv) => {
    const scenario = scenarioFrom(argv);
    const pm = buildPlacementModel(scenario, placementOptionsFrom(argv));
    const text = argv.format === 'mps' ? writeMps(pm.model) : writeLp(pm.model);
    writeOutput(argv.output, text);
    const out = {
      file: argv.output,
      format: argv.format,
      formulation: pm.formulation,
      delta_s: pm.deltaS,
      columns: pm.stats.columns,
      binaries: pm.stats.binaries,
      rows: pm.stats.rows,
      heuristic_upper_bound: pm.heuristic.value,
      heuristic_source: pm.heuristic.source,
    };
    emit(
      argv.json,
      out,
      () =>
        `${argv.output}: ${pm.formulation} placement model, ${out.columns} columns (${out.binaries} binary), ${out.rows} rows; ` +
        `objective ≤ ${pm.heuristic.value} (${pm.heuristic.source})`,
    );
  },
};
