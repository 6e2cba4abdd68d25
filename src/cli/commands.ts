import type { AnyCommand } from './defineCommand.ts';

/**
 * The only list of commands: adding one is a file in src/cli/ and an entry here. A command's
 * module (and the libraries behind it, some slow to load) is imported only when that command
 * runs, so `hexplan validate` does not pay for mathjs or HiGHS.
 */
export interface CommandEntry {
  name: string;
  describe: string;
  load: () => Promise<AnyCommand>;
}

export const commands: CommandEntry[] = [
  {
    name: 'validate',
    describe:
      'check workloads, clusters, profiles, plans and catalogs; every problem as FILE: json.path: message',
    load: async () => (await import('./validate.ts')).validateCommand,
  },
  {
    name: 'gen',
    describe:
      'generate a seeded agentic workload (token lengths fitted to the Azure 2023 conversation trace)',
    load: async () => (await import('./gen.ts')).genCommand,
  },
  {
    name: 'import',
    describe: 'turn a real trace (Azure CSV, Mooncake JSONL, OpenTelemetry GenAI spans) into a workload',
    load: async () => (await import('./import.ts')).importCommand,
  },
  {
    name: 'fit-profile',
    describe: 'fit a (GPU, LLM, TP) profile to measured prefill and decode times (hexplan/profiles@1)',
    load: async () => (await import('./profileFit.ts')).fitProfileCommand,
  },
  {
    name: 'profile',
    describe:
      'a resolved built-in (GPU, LLM, TP) profile: coefficients, KV capacity, batch limit, predictions',
    load: async () => (await import('./profile.ts')).profileCommand,
  },
  {
    name: 'calibration',
    describe: 'built-in profiles vs every published measurement: fit, leave-one-TP-out, leave-one-GPU-out',
    load: async () => (await import('./profileCalibration.ts')).calibrationCommand,
  },
  {
    name: 'simulate',
    describe: 'simulate one online policy on a workload and cluster (exact or realistic mode)',
    load: async () => (await import('./simulate.ts')).simulateCommand,
  },
  {
    name: 'compare',
    describe: 'all policies side by side: p50/p95/p99 scale, attainment, HexAGenT reduction vs baselines',
    load: async () => (await import('./compare.ts')).compareCommand,
  },
  {
    name: 'plan',
    describe: 'solve the placement ILP (clairvoyant, exact mode): best plan, proven bounds, gap',
    load: async () => (await import('./plan.ts')).planCommand,
  },
  {
    name: 'verify',
    describe: 'check a plan against every exact-mode constraint, independently of the solver',
    load: async () => (await import('./verify.ts')).verifyCommand,
  },
  {
    name: 'gap',
    describe:
      "the headline: HexAGenT and the baselines vs the optimum's proven bounds (realistic system by default, or the exact model)",
    load: async () => (await import('./gap.ts')).gapCommand,
  },
  {
    name: 'export-lp',
    describe:
      'write the placement model that `plan` solves, as CPLEX LP or free MPS, for any external solver',
    load: async () => (await import('./export-lp.ts')).exportLpCommand,
  },
  {
    name: 'provision',
    describe: 'cheapest verified GPU mix (MILP + closed-loop simulation) for a workload and SLO target',
    load: async () => (await import('./provision.ts')).provisionCommand,
  },
  {
    name: 'sweep',
    describe:
      'many runs (simulate, gap, provision cells) over a grid; resumable, sharded, or across machines through Redis',
    load: async () => (await import('./sweep.ts')).sweepCommand,
  },
  {
    name: 'worker',
    describe: 'run sweep cells from a Redis queue (BullMQ) until stopped; start one per machine',
    load: async () => (await import('./worker.ts')).workerCommand,
  },
  {
    name: 'headline',
    describe:
      "the HexAGenT paper's headline: mean and max reduction of the required scale vs each baseline, over a grid",
    load: async () => (await import('./headline.ts')).headlineCommand,
  },
  {
    name: 'schema',
    describe: 'the JSON Schema of a file format (workload, cluster, plan, grid, …); no NAME lists them',
    load: async () => (await import('./schema.ts')).schemaCommand,
  },
  {
    name: 'report',
    describe: 'HTML report with SVG plots (Vega-Lite) from sweep results or a provision --sweep-rates file',
    load: async () => (await import('./report.ts')).reportCommand,
  },
];
