import type { CommandModule } from 'yargs';
import { HexplanError } from '../errors.ts';
import { packagePath } from '../io/packageRoot.ts';
import { LOOP_DEFAULTS } from '../provision/loop.ts';
import { BUNDLED_PROVISION_CATALOG, loadProvisionSetup } from '../provision/offers.ts';
import { type ProvisionReport, provision, provisionSweep, type SweepPoint } from '../provision/provision.ts';
import { renderProvision, renderSweep } from '../provision/render.ts';
import { loadWorkload } from '../scenario/documents.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { emit, info, progressEnabled, writeJsonOutput } from './common.ts';

/** Default workload: the bundled medium one (50 workflows, 256 calls): enough load to size a mix. */
export const PROVISION_DEFAULT_WORKLOAD = packagePath('instances', 'workloads', 'medium.json');

interface Args {
  workload: string;
  catalog: string;
  quantile: number;
  scale: number;
  budget?: number;
  rateMultiplier: number;
  objective: 'min-cost' | 'max-rate';
  solver: SolverName;
  maxIterations: number;
  latencyShare: number;
  rho: number;
  rhoFloor: number;
  sweepRates?: string;
  clusterOut?: string;
  baselines: boolean;
  mixedTimeshare: boolean;
  timeLimit?: number;
  json: boolean;
}

export const provisionCommand: CommandModule<object, Args> = {
  command: 'provision',
  builder: (y) =>
    y
      .option('workload', {
        alias: 'w',
        type: 'string',
        default: PROVISION_DEFAULT_WORKLOAD,
        defaultDescription: 'instances/workloads/medium.json',
        describe: 'workload file (hexplan/workload@1)',
      })
      .option('catalog', {
        type: 'string',
        default: BUNDLED_PROVISION_CATALOG,
        defaultDescription: 'models/catalog-provision.json',
        describe: 'provisioning catalog (hexplan/provision-catalog@1) or GPU catalog (hexplan/gpu-catalog@1)',
      })
      .option('quantile', { alias: 'q', type: 'number', default: 0.95, describe: 'SLO attainment quantile' })
      .option('scale', {
        alias: 'k',
        type: 'number',
        default: 1.5,
        describe: 'required SLO scale at the quantile',
      })
      .option('budget', {
        type: 'number',
        describe: 'cost cap, $ per hour (required with --objective max-rate)',
      })
      .option('rate-multiplier', {
        type: 'number',
        default: 1,
        describe: 'load multiplier: arrivals become arrival_s / m',
      })
      .option('objective', {
        type: 'string',
        choices: ['min-cost', 'max-rate'] as const,
        default: 'min-cost' as const,
      })
      .option('solver', { type: 'string', choices: [...SOLVER_NAMES], default: 'highs' as SolverName })
      .option('max-iterations', {
        type: 'number',
        default: LOOP_DEFAULTS.maxIterations,
        describe: 'closed-loop iterations',
      })
      .option('latency-share', {
        type: 'number',
        default: LOOP_DEFAULTS.latencyShare,
        describe: 'a pair is allowed for a class when its calls take ≤ share × scale × their standalone time',
      })
      .option('rho', {
        type: 'number',
        default: LOOP_DEFAULTS.rhoStart,
        describe: 'starting utilization cap',
      })
      .option('rho-floor', {
        type: 'number',
        default: LOOP_DEFAULTS.rhoFloor,
        describe: 'smallest utilization cap tried',
      })
      .option('sweep-rates', {
        type: 'string',
        describe: 'comma-separated rate multipliers: cost-versus-load curve',
      })
      .option('cluster-out', { type: 'string', describe: 'write the final (verified) cluster here' })
      .option('baselines', {
        type: 'boolean',
        default: true,
        describe: 'homogeneous and no-PD baselines (--no-baselines)',
      })
      .option('mixed-timeshare', {
        type: 'boolean',
        default: false,
        describe:
          "charge a mixed instance's prefill and decode against one utilization budget (colocation interference)",
      })
      .option('time-limit', { type: 'number', describe: 'seconds per MILP solve' })
      .example('$0 provision --scale 1.5 --quantile 0.95 --cluster-out mix.json', '') as never,
  handler: async (argv) => {
    checkOptions(argv);
    const workload = loadWorkload(argv.workload);
    const setup = loadProvisionSetup(argv.catalog);
    const options = {
      setup,
      quantile: argv.quantile,
      scale: argv.scale,
      budgetPerHour: argv.budget,
      rateMultiplier: argv.rateMultiplier,
      objective: argv.objective,
      solver: argv.solver,
      maxIterations: argv.maxIterations,
      latencyShare: argv.latencyShare,
      rhoStart: argv.rho,
      rhoFloor: argv.rhoFloor,
      baselines: argv.baselines,
      mixedTimeShare: argv.mixedTimeshare,
      timeLimitS: argv.timeLimit,
      workloadName: workload.name ?? argv.workload,
      onProgress: progressEnabled() ? info : undefined,
    };
    if (argv.sweepRates !== undefined) {
      const rates = parseRates(argv.sweepRates);
      const points: SweepPoint[] = await provisionSweep(workload, rates, options);
      emit(
        argv.json,
        { workload: argv.workload, quantile: argv.quantile, scale: argv.scale, sweep: points },
        () => renderSweep(points),
      );
      return;
    }
    const { report, cluster } = await provision(workload, options);
    if (argv.clusterOut) writeJsonOutput(argv.clusterOut, cluster);
    emit(argv.json, report, () => renderProvision(report, argv.clusterOut));
    if (!report.verified) failUnverified(report);
  },
};

function failUnverified(report: ProvisionReport): void {
  process.stderr.write(`error: not verified (${report.stop_reason}): ${report.message}\n`);
  process.exitCode = 1;
}

function checkOptions(argv: Args): void {
  if (!(argv.quantile > 0 && argv.quantile <= 1))
    throw new HexplanError(`--quantile: ${argv.quantile} is not in (0, 1]`);
  if (!(argv.scale >= 1))
    throw new HexplanError(`--scale: ${argv.scale} is below 1 (no schedule beats standalone)`);
  if (!(argv.rateMultiplier > 0))
    throw new HexplanError(`--rate-multiplier: ${argv.rateMultiplier} must be positive`);
  if (!(argv.rho > 0 && argv.rho <= 1)) throw new HexplanError(`--rho: ${argv.rho} is not in (0, 1]`);
  if (!(argv.rhoFloor > 0 && argv.rhoFloor <= argv.rho))
    throw new HexplanError(`--rho-floor: must be in (0, --rho]`);
  if (!(argv.latencyShare > 0)) throw new HexplanError(`--latency-share: must be positive`);
  if (!(Number.isInteger(argv.maxIterations) && argv.maxIterations >= 1)) {
    throw new HexplanError(`--max-iterations: ${argv.maxIterations} must be a positive integer`);
  }
  if (argv.budget !== undefined && !(argv.budget > 0)) throw new HexplanError(`--budget: must be positive`);
  if (argv.objective === 'max-rate' && argv.budget === undefined) {
    throw new HexplanError('--objective max-rate: needs --budget (the rate is maximized under it)');
  }
}

function parseRates(text: string): number[] {
  const rates = text.split(',').map((s) => Number(s.trim()));
  if (rates.length === 0 || rates.some((r) => !(r > 0))) {
    throw new HexplanError(`--sweep-rates: "${text}" must be a comma-separated list of positive numbers`);
  }
  return rates;
}
