import { basename } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../io/files.ts';
import { loadCatalog } from '../profile/catalog.ts';
import { buildCostModel } from '../profile/costModel.ts';
import { loadCluster } from '../scenario/documents.ts';
import { FAMILY_CHOICES } from '../workload/generate/families.ts';
import { DEFAULT_MODEL, generateWorkload, workloadJsonText } from '../workload/generate/generate.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag, seedFlag } from './options.ts';

export const genCommand = defineCommand({
  options: {
    family: flag(z.enum(FAMILY_CHOICES), { describe: 'workflow family' }),
    workflows: flag(z.number().int().positive(), { alias: 'n', describe: 'number of workflows' }),
    output: outputFlag('workload file to write', true),
    seed: seedFlag(),
    model: flag(z.string().min(1).default(DEFAULT_MODEL), { describe: 'LLM every workflow calls' }),
    rate: flag(z.number().positive().optional(), {
      describe: 'Poisson arrival rate, workflows/s (default 1 without --load)',
    }),
    load: flag(z.number().positive().optional(), {
      describe: "target utilization of the cluster's bottleneck stage (needs --cluster)",
    }),
    cluster: flag(z.string().min(1).optional(), {
      alias: 'c',
      describe: 'cluster file for --load and --deadline-factor',
    }),
    deadlineFactor: flag(z.number().gte(1).optional(), {
      describe: 'deadline_s = factor × standalone time on --cluster (>= 1)',
    }),
    maxFanout: flag(z.number().int().positive().default(6), {
      describe: 'largest parallel fan-out (mapreduce, tree)',
    }),
    maxDepth: flag(z.number().int().positive().default(6), { describe: 'longest react chain' }),
    name: flag(z.string().min(1).optional(), { describe: 'workload name (default FAMILY-N-seedS)' }),
  },
  fieldFlags: {
    workflows: 'workflows',
    seed: 'seed',
    ratePerS: 'rate',
    load: 'load',
    deadlineFactor: 'deadline-factor',
    model: 'model',
  },
  examples: [
    [
      '$0 gen --family mixed --workflows 50 --seed 7 --load 0.75 -c instances/clusters/hetero-6.json -o w.json',
      '',
    ],
  ],
  run: (o, ctx) => {
    let cost: ReturnType<typeof buildCostModel> | undefined;
    let clusterName: string | undefined;
    if (o.cluster) {
      const catalog = loadCatalog();
      const { cluster, profiles } = loadCluster(o.cluster, catalog);
      cost = buildCostModel(cluster, { catalog, profiles, source: o.cluster });
      clusterName = cluster.name ?? basename(o.cluster);
    }
    const result = generateWorkload({
      family: o.family,
      workflows: o.workflows,
      seed: o.seed,
      model: o.model,
      ratePerS: o.rate,
      load: o.load,
      cost,
      clusterName,
      deadlineFactor: o.deadlineFactor,
      maxFanout: o.maxFanout,
      maxDepth: o.maxDepth,
      name: o.name,
    });
    writeFileAtomic(o.output, workloadJsonText(result.workload));
    const summary = {
      output: o.output,
      workflows: o.workflows,
      calls: result.calls,
      rate_per_s: result.workload.meta?.rate_per_s ?? null,
      load: result.workload.meta?.load ?? null,
      capacity: result.workload.meta?.capacity ?? null,
    };
    ctx.emit('gen-result', summary, () => {
      const lines = [
        `${o.output}: ${o.workflows} workflows, ${result.calls} calls (${o.family}, seed ${o.seed})`,
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
});
