import { z } from 'zod';
import { HexplanError } from '../errors.ts';
import { displayPath, toJsonText, writeFileAtomic } from '../io/files.ts';
import { packagePath } from '../io/packageRoot.ts';
import { ONLINE_POLICY_NAMES } from '../policy/registry.ts';
import { LOOP_DEFAULTS } from '../provision/loop.ts';
import { BUNDLED_PROVISION_CATALOG, loadProvisionSetup } from '../provision/offers.ts';
import {
  type ProvisionOptions,
  type ProvisionOutcome,
  provision,
  provisionSweep,
} from '../provision/provision.ts';
import { provisionCsv } from '../provision/provisionCsv.ts';
import { renderProvision, renderSweep } from '../provision/render.ts';
import { loadWorkload } from '../scenario/documents.ts';
import type { Cluster, MixedTimeshare } from '../schema/cluster.ts';
import { withSchema } from '../schema/output.ts';
import { SimMode } from '../schema/simMode.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { csvFlag, outputFlag, quantileFlag, registryFlag } from './options.ts';

/** Default workload: the bundled medium one (50 workflows, 256 calls): enough load to size a mix. */
export const PROVISION_DEFAULT_WORKLOAD = packagePath('instances', 'workloads', 'medium.json');

/** Without a terminal, progress lines come at most this often (the best-so-far line always). */
const LINE_EVERY_MS = 10_000;

const count = (describe: string, defaultValue: number) =>
  flag(z.number().int().nonnegative().default(defaultValue), { describe });

export const provisionCommand = defineCommand({
  options: {
    workload: flag(z.string().min(1).default(PROVISION_DEFAULT_WORKLOAD), {
      alias: 'w',
      describe: 'workload file (hexplan/workload@1)',
      defaultDescription: 'instances/workloads/medium.json',
    }),
    catalog: flag(z.string().min(1).default(BUNDLED_PROVISION_CATALOG), {
      describe: 'provisioning catalog (hexplan/provision-catalog@1) or GPU catalog (hexplan/gpu-catalog@1)',
      defaultDescription: 'models/catalog-provision.json',
    }),
    quantile: quantileFlag('q'),
    scale: flag(z.number().gte(1, 'is below 1 (no schedule beats standalone)').default(1.5), {
      alias: 'k',
      describe: 'required SLO scale at the quantile',
    }),
    budget: flag(z.number().positive().optional(), {
      describe: 'cost cap, $ per hour (required with --objective max-rate)',
    }),
    rateMultiplier: flag(z.number().positive().default(1), {
      describe: 'load multiplier: arrivals become arrival_s / m',
    }),
    horizon: flag(z.number().positive().optional(), {
      describe:
        "seconds of arrivals to provision for: the workload at --rate-multiplier is tiled (copies end to end) until it spans this long; default the workload's own span when the multiplier is above 1",
    }),
    burst: flag(z.boolean().default(false), {
      describe:
        'compress the trace by --rate-multiplier without tiling: sizes for a burst, not a sustained rate',
    }),
    mode: flag(SimMode.default('realistic'), {
      describe: 'simulator mode every candidate cluster is verified in',
    }),
    policy: registryFlag(
      () => ONLINE_POLICY_NAMES,
      'online policy the verifying simulations run',
      'hexagent',
    ),
    localSearch: count('most simulations spent going cheaper from the best verified cluster (0: none)', 30),
    homogeneousSimulations: count('most simulations per homogeneous baseline', 40),
    floor: flag(z.boolean().default(true), { describe: 'compute the cost floor (--no-floor to skip)' }),
    objective: flag(z.enum(['min-cost', 'max-rate']).default('min-cost'), {
      describe: 'min-cost: cheapest mix meeting the target; max-rate: most load within --budget',
    }),
    solver: registryFlag(() => SOLVER_NAMES, 'MILP solver', 'highs'),
    maxIterations: flag(z.number().int().positive().default(LOOP_DEFAULTS.maxIterations), {
      describe: 'closed-loop iterations',
    }),
    latencyShare: flag(z.number().positive().default(LOOP_DEFAULTS.latencyShare), {
      describe: 'a pair is allowed for a class when its calls take ≤ share × scale × their standalone time',
    }),
    rho: flag(z.number().gt(0).lte(1).default(LOOP_DEFAULTS.rhoStart), {
      describe: 'starting utilization cap',
    }),
    rhoFloor: flag(z.number().gt(0).lte(1).default(LOOP_DEFAULTS.rhoFloor), {
      describe: 'smallest utilization cap tried (≤ --rho)',
    }),
    sweepRates: flag(
      z
        .string()
        .transform((s) => s.split(',').map((x) => Number(x.trim())))
        .pipe(z.array(z.number().positive('must be a comma-separated list of positive numbers')).min(1))
        .optional(),
      { describe: 'comma-separated rate multipliers: cost-versus-load curve' },
    ),
    clusterOut: flag(z.string().min(1).optional(), {
      describe: 'write the answer (verified) cluster here; not with --sweep-rates',
      writes: true,
    }),
    output: outputFlag(
      'write the JSON result here (on SIGINT/SIGTERM: the best verified so far, "interrupted": true)',
    ),
    csv: csvFlag(
      'one row per simulated cluster and baseline (label, gpus, roles, cost, scale, meets_target, found_by)',
    ),
    baselines: flag(z.boolean().default(true), {
      describe: 'homogeneous and no-PD baselines (--no-baselines)',
    }),
    mixedTimeshare: flag(z.boolean().optional(), {
      describe:
        'mixed instances time-share one GPU between prefill and decode, whole prefill batches ' +
        'first (mixed_timeshare true). --no-mixed-timeshare: side by side, as if on a GPU each ' +
        "(optimistic: one GPU counted twice). Without either flag: the catalog's " +
        'mixed_timeshare (the bundled catalog: "chunked", see --chunked-prefill)',
    }),
    chunkedPrefill: flag(z.boolean().optional(), {
      describe:
        'mixed instances time-share one GPU by chunked prefill (mixed_timeshare "chunked", as vLLM ' +
        'and Sarathi-Serve schedule: each iteration runs the decode step with prompt chunks filling ' +
        "the token budget), the bundled catalog's default. With a shared GPU the MILP charges " +
        'both stages to one budget and every cluster verified or bounded is simulated so ' +
        '(realistic mode). --no-chunked-prefill: whole batches first instead',
    }),
    timeLimit: flag(z.number().positive().optional(), { describe: 'seconds per MILP solve' }),
  },
  fieldFlags: {
    quantile: 'quantile',
    scale: 'scale',
    timeLimitS: 'time-limit',
    budgetPerHour: 'budget',
    rateMultiplier: 'rate-multiplier',
    horizonS: 'horizon',
  },
  examples: [
    [
      '$0 provision --scale 1.5 --quantile 0.95 --cluster-out mix.json',
      'cheapest verified mix for the bundled medium workload',
    ],
    [
      '$0 provision -w w.json --scale 2 --csv candidates.csv -o result.json',
      'every simulated cluster as CSV, the result as JSON',
    ],
  ],
  run: async (o, ctx) => {
    if (o.sweepRates !== undefined && o.clusterOut !== undefined) {
      throw new HexplanError(
        '--cluster-out: not with --sweep-rates (a sweep has one cluster per rate); run provision at one --rate-multiplier to write a cluster',
      );
    }
    if (o.sweepRates !== undefined && o.csv !== undefined)
      throw new HexplanError('--csv: not with --sweep-rates (the sweep JSON has one row per rate)');
    if (o.burst && o.horizon !== undefined)
      throw new HexplanError('--horizon: not with --burst (a burst is not tiled)');
    if (o.rhoFloor > o.rho) throw new HexplanError(`--rho-floor: ${o.rhoFloor} must be in (0, --rho]`);
    if (o.objective === 'max-rate' && o.budget === undefined)
      throw new HexplanError('--objective max-rate: needs --budget (the rate is maximized under it)');
    const workload = loadWorkload(o.workload);
    const setup = loadProvisionSetup(o.catalog);
    // The workload file, as every result names its inputs (a workload's name need not be unique).
    const workloadFile = displayPath(o.workload);
    const base = {
      workload: workloadFile,
      mode: o.mode,
      policy: o.policy,
      quantile: o.quantile,
      scale: o.scale,
    };
    // The cheapest verified cluster so far, for SIGINT/SIGTERM.
    let best: { summary: Record<string, unknown>; cluster: Cluster } | null = null;
    const lastLineMs = { at: 0 };
    const progress = (message: string, always = false) => {
      if (ctx.progressStyle === 'none') return;
      const now = Date.now();
      if (ctx.progressStyle === 'lines' && !always && now - lastLineMs.at < LINE_EVERY_MS) return;
      lastLineMs.at = now;
      ctx.info(`provision: ${message}`);
    };
    const options: ProvisionOptions = {
      setup,
      mode: o.mode,
      policy: o.policy,
      horizonS: o.burst ? null : o.horizon,
      localSearchSimulations: o.localSearch,
      homogeneousSimulations: o.homogeneousSimulations,
      floor: o.floor,
      quantile: o.quantile,
      scale: o.scale,
      budgetPerHour: o.budget,
      rateMultiplier: o.rateMultiplier,
      objective: o.objective,
      solver: o.solver as SolverName,
      maxIterations: o.maxIterations,
      latencyShare: o.latencyShare,
      rhoStart: o.rho,
      rhoFloor: o.rhoFloor,
      baselines: o.baselines,
      mixedTimeShare: mixedTimeshareOption(setup.mixedTimeshare, o.mixedTimeshare, o.chunkedPrefill),
      timeLimitS: o.timeLimit,
      workloadName: workloadFile,
      onProgress: (m) => progress(m),
      onBest: (b, cluster) => {
        best = {
          summary: {
            cost_per_hour: b.costPerHour,
            gpus: b.gpus,
            instances: cluster.instances.length,
            found_by: b.foundBy,
            simulated_scale: b.scale,
          },
          cluster,
        };
        progress(
          `best verified so far: ${b.gpus} GPUs, $${b.costPerHour.toFixed(2)}/h, scale ${b.scale.toFixed(3)} (found by ${b.foundBy})`,
          true,
        );
      },
    };
    // Interrupted: the best verified cluster is written where the finished result would have
    // gone (-o, --cluster-out) atomically, or printed with --json, marked interrupted; the
    // exit code is nonzero (interrupt.ts).
    ctx.onInterrupt(() => {
      const b = best as { summary: Record<string, unknown>; cluster: Cluster } | null;
      process.stderr.write(
        b
          ? `best verified cluster so far: ${b.cluster.instances.map((i) => `${i.id}@${i.node}`).join(' ')} ($${Number(b.summary.cost_per_hour).toFixed(2)}/h, found by ${b.summary.found_by})\n`
          : 'no cluster verified yet\n',
      );
      const partial = withSchema('provision-result', {
        ...base,
        interrupted: true,
        verified: b !== null,
        best: b ? { ...b.summary, cluster: b.cluster } : null,
      });
      const written: string[] = [];
      if (o.output) {
        writeFileAtomic(o.output, toJsonText(partial));
        written.push(o.output);
      }
      if (b && o.clusterOut) {
        writeFileAtomic(o.clusterOut, toJsonText(b.cluster));
        written.push(o.clusterOut);
      }
      if (ctx.json) process.stdout.write(toJsonText(partial));
      return written.length > 0 ? written.join(', ') : null;
    });
    if (o.sweepRates !== undefined) {
      const points = await provisionSweep(workload, o.sweepRates, options);
      const result = { workload: workloadFile, quantile: o.quantile, scale: o.scale, sweep: points };
      if (o.output) writeFileAtomic(o.output, toJsonText(withSchema('provision-sweep', result)));
      ctx.emit('provision-sweep', result, () => renderSweep(points));
      return;
    }
    const outcome: ProvisionOutcome = await provision(workload, options);
    const { report, cluster } = outcome;
    if (o.clusterOut) writeFileAtomic(o.clusterOut, toJsonText(cluster));
    if (o.csv) writeFileAtomic(o.csv, provisionCsv(outcome));
    // The same object on stdout and in -o, so one schema covers both.
    const result = { ...report, interrupted: false };
    if (o.output) writeFileAtomic(o.output, toJsonText(withSchema('provision-result', result)));
    ctx.emit('provision-result', result, () => renderProvision(report, o.clusterOut));
    if (!report.verified) {
      process.stderr.write(`error: not verified (${report.stop_reason}): ${report.message}\n`);
      return 1;
    }
  },
});

/**
 * The `mixed_timeshare` the flags make of the catalog's. --chunked-prefill implies time-sharing,
 * --mixed-timeshare is whole batches first, --no-mixed-timeshare side by side;
 * --no-chunked-prefill keeps whether mixed instances share their GPU, with whole batches.
 */
function mixedTimeshareOption(
  catalog: MixedTimeshare,
  timeshare: boolean | undefined,
  chunked: boolean | undefined,
): MixedTimeshare {
  if (timeshare === false) {
    if (chunked === true)
      throw new HexplanError(
        '--chunked-prefill: time-shares mixed instances, so not with --no-mixed-timeshare',
      );
    return false;
  }
  if (chunked === true) return 'chunked';
  if (timeshare === true) return true;
  if (chunked === false) return catalog !== false;
  return catalog;
}
