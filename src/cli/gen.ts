import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { writeFileAtomic } from '../io/files.ts';
import { loadCatalog } from '../profile/catalog.ts';
import { buildCostModel } from '../profile/costModel.ts';
import { loadCluster } from '../scenario/documents.ts';
import { FAMILY_CHOICES, type FamilyChoice } from '../workload/generate/families.ts';
import { DEFAULT_MODEL, generateWorkload, workloadJsonText } from '../workload/generate/generate.ts';
import { emit } from './common.ts';

interface Args {
  family: FamilyChoice;
  workflows: number;
  seed: number;
  output: string;
  model: string;
  rate?: number;
  load?: number;
  cluster?: string;
  deadlineFactor?: number;
  maxFanout: number;
  maxDepth: number;
  name?: string;
  json: boolean;
}

export const genCommand: CommandModule<object, Args> = {
  command: 'gen',
  builder: (y) =>
    y
      .option('family', {
        type: 'string',
        choices: FAMILY_CHOICES,
        demandOption: true,
        describe: 'workflow family',
      })
      .option('workflows', {
        alias: 'n',
        type: 'number',
        demandOption: true,
        describe: 'number of workflows',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'workload file to write',
      })
      .option('model', { type: 'string', default: DEFAULT_MODEL, describe: 'LLM every workflow calls' })
      .option('rate', {
        type: 'number',
        describe: 'Poisson arrival rate, workflows/s (default 1 without --load)',
      })
      .option('load', {
        type: 'number',
        describe: "target utilization of the cluster's bottleneck stage (needs --cluster)",
      })
      .option('cluster', {
        alias: 'c',
        type: 'string',
        describe: 'cluster file for --load and --deadline-factor',
      })
      .option('deadline-factor', {
        type: 'number',
        describe: 'deadline_s = factor × standalone time on --cluster',
      })
      .option('max-fanout', {
        type: 'number',
        default: 6,
        describe: 'largest parallel fan-out (mapreduce, tree)',
      })
      .option('max-depth', { type: 'number', default: 6, describe: 'longest react chain' })
      .option('name', { type: 'string', describe: 'workload name (default FAMILY-N-seedS)' })
      .conflicts('rate', 'load')
      .example(
        '$0 gen --family mixed --workflows 50 --seed 7 --load 0.75 -c instances/clusters/hetero-6.json -o w.json',
        '',
      ) as never,
  handler: (argv) => {
    let cost: ReturnType<typeof buildCostModel> | undefined;
    let clusterName: string | undefined;
    if (argv.cluster) {
      const catalog = loadCatalog();
      const { cluster, profiles } = loadCluster(argv.cluster, catalog);
      cost = buildCostModel(cluster, { catalog, profiles, source: argv.cluster });
      clusterName = cluster.name ?? basename(argv.cluster);
    }
    const result = generateWorkload({
      family: argv.family,
      workflows: argv.workflows,
      seed: argv.seed,
      model: argv.model,
      ratePerS: argv.rate,
      load: argv.load,
      cost,
      clusterName,
      deadlineFactor: argv.deadlineFactor,
      maxFanout: argv.maxFanout,
      maxDepth: argv.maxDepth,
      name: argv.name,
    });
    writeFileAtomic(argv.output, workloadJsonText(result.workload));
    const summary = {
      file: argv.output,
      workflows: argv.workflows,
      calls: result.calls,
      rate_per_s: result.workload.meta?.rate_per_s,
      load: result.workload.meta?.load,
      capacity: result.workload.meta?.capacity,
    };
    emit(argv.json, summary, () => {
      const lines = [
        `${argv.output}: ${argv.workflows} workflows, ${result.calls} calls (${argv.family}, seed ${argv.seed})`,
        `arrivals: Poisson, ${result.ratePerS.toPrecision(4)} workflows/s`,
      ];
      if (result.capacity) {
        const c = result.capacity;
        lines.push(
          `offered load on ${clusterName}: ${(result.ratePerS * c.utilizationPerRate).toFixed(3)} of the ${c.bottleneck} bottleneck ` +
            `(prefill ${c.prefillCallsPerS.toFixed(2)} calls/s, decode ${c.decodeCallsPerS.toFixed(2)} calls/s)`,
        );
      }
      return lines.join('\n');
    });
  },
};
