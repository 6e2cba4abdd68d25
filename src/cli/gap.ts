import type { CommandModule } from 'yargs';
import { fmt, formatTable } from '../analysis/format.ts';
import { GAP_DEFAULT_TIME_LIMIT_S, type GapReport, runGap } from '../analysis/gap.ts';
import { type RealisticGapReport, runRealisticGap } from '../analysis/realisticGap.ts';
import { HexplanError } from '../errors.ts';
import { ONLINE_POLICY_NAMES } from '../policy/registry.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { emit, info, parseList, progressEnabled, scenarioFrom, withScenarioOptions } from './common.ts';

interface Args {
  mode: 'realistic' | 'exact';
  seed: number;
  workload: string;
  cluster: string;
  quantile: number;
  solver: SolverName;
  ilp: 'auto' | 'on' | 'off';
  'time-limit': number;
  policies?: string;
  json: boolean;
}

const ONLINE = ONLINE_POLICY_NAMES;

export const gapCommand: CommandModule<object, Args> = {
  command: 'gap',
  builder: (y) =>
    withScenarioOptions(y)
      .option('mode', {
        type: 'string',
        default: 'realistic',
        choices: ['realistic', 'exact'],
        describe:
          'realistic: bracket the optimum of the realistic simulator (LP lower bound, best simulated schedule); exact: the exact model (ILP, oracle)',
      })
      .option('quantile', { alias: 'q', type: 'number', default: 0.95, describe: 'attainment quantile q' })
      .option('solver', { type: 'string', default: 'highs', choices: [...SOLVER_NAMES] })
      .option('ilp', {
        type: 'string',
        default: 'auto',
        choices: ['auto', 'on', 'off'],
        describe:
          'solve the placement ILP (auto: up to 120 calls; exact mode: unless cheap bounds already prove the best policy optimal; realistic mode: its plan is replayed as a candidate schedule)',
      })
      .option('time-limit', {
        type: 'number',
        default: GAP_DEFAULT_TIME_LIMIT_S,
        describe:
          'solver time limit, seconds (realistic mode: for the LP search, and for the ILP when it runs)',
      })
      .option('policies', { type: 'string', describe: `comma-separated (default: ${ONLINE.join(',')})` })
      .example('$0 gap', 'bundled small workload on hetero-6, q = 0.95, realistic bracket')
      .example('$0 gap --mode exact', 'the exact model: placement ILP and cheap bounds')
      .example(
        '$0 gap -w instances/workloads/large.json -c instances/clusters/hetero-32.json',
        'realistic LP bound and the best simulated schedule',
      ) as never,
  handler: async (argv) => {
    if (!(argv.quantile > 0 && argv.quantile <= 1))
      throw new HexplanError(`--quantile: ${argv.quantile} is outside (0, 1]`);
    if (!(argv['time-limit'] > 0))
      throw new HexplanError(`--time-limit: must be positive, got ${argv['time-limit']}`);
    const policies = argv.policies ? parseList('policies', argv.policies, ONLINE) : undefined;
    const scenario = scenarioFrom(argv);
    const onProgress = progressEnabled() ? { onProgress: (m: string) => info(`gap: ${m}`) } : {};
    if (argv.mode === 'realistic') {
      const report = await runRealisticGap(scenario, {
        quantile: argv.quantile,
        solver: argv.solver,
        timeLimitS: argv['time-limit'],
        ilp: argv.ilp,
        seed: argv.seed,
        ...(policies ? { policies } : {}),
        ...onProgress,
      });
      emit(argv.json, report, () => realisticGapText(scenario.workloadFile, scenario.clusterFile, report));
      return;
    }
    const report = await runGap(scenario, {
      quantile: argv.quantile,
      solver: argv.solver,
      timeLimitS: argv['time-limit'],
      ilp: argv.ilp,
      ...(policies ? { policies } : {}),
      ...onProgress,
    });
    emit(argv.json, report, () => gapText(scenario.workloadFile, scenario.clusterFile, report));
  },
};

const pctText = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}%` : '-');

export function gapText(workloadFile: string, clusterFile: string, r: GapReport): string {
  const o = r.optimum;
  const lines = [
    `${workloadFile} on ${clusterFile}: ${r.workflows} workflows, ${r.calls} calls; required SLO scale at q = ${r.quantile} (exact mode)`,
    '',
    `optimum: ${o.status}${o.solver === 'none' ? '' : ` (${o.solver}, ${o.solve_s.toFixed(1)} s)`}`,
    `  lower bound  ${fmt(o.lower_bound, 4)}  from ${o.lower_bound_source}`,
    `  upper bound  ${fmt(o.upper_bound, 4)}  from ${o.upper_bound_source}`,
  ];
  if (o.lp_bound !== null) lines.push(`  LP bound     ${fmt(o.lp_bound, 4)}`);
  lines.push(
    `  cheap bounds ${o.cheap_bounds.map((b) => `${b.source} ${fmt(b.value, 4)}`).join(', ')}`,
    '',
    formatTable(
      ['policy', 'scale', 'gap_upper', 'gap_lower', 'verified'],
      r.policies.map((p) => [
        p.name,
        fmt(p.scale, 4),
        pctText(p.gap_upper_pct),
        pctText(p.gap_lower_pct),
        p.verified ? 'yes' : 'NO',
      ]),
    ),
    '',
    'gap_upper = scale / LB − 1 (at most this far from optimal); gap_lower = scale / UB − 1 (at least this far)',
  );
  if (r.model_error) {
    const m = r.model_error;
    lines.push(
      `model error: the best plan (${m.plan_source}) replayed realistic ${fmt(m.realistic_scale, 4)} vs exact ` +
        `${fmt(m.exact_scale, 4)} (${m.relative_pct >= 0 ? '+' : ''}${m.relative_pct.toFixed(1)}%)`,
    );
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export function realisticGapText(workloadFile: string, clusterFile: string, r: RealisticGapReport): string {
  const o = r.optimum;
  const solved = o.lp_solves.filter((s) => s.status !== 'windows').length;
  const lines = [
    `${workloadFile} on ${clusterFile}: ${r.workflows} workflows, ${r.calls} calls; required SLO scale at q = ${r.quantile} (realistic mode)`,
    '',
    `optimum of the realistic system: ${o.status === 'optimal' ? 'proven' : 'bracket'}`,
    `  lower bound  ${fmt(o.lower_bound, 4)}  from ${o.lower_bound_source} (${solved} LPs, ${o.lp_s.toFixed(1)} s)`,
    `  upper bound  ${fmt(o.upper_bound, 4)}  from ${o.upper_bound_source}`,
    `  UB/LB − 1    ${pctText((o.upper_bound / o.lower_bound - 1) * 100)}`,
    '',
    formatTable(
      ['policy', 'scale', 'gap_upper', 'gap_lower'],
      r.policies.map((p) => [p.name, fmt(p.scale, 4), pctText(p.gap_upper_pct), pctText(p.gap_lower_pct)]),
    ),
    '',
    'gap_upper = scale / LB − 1 (at most this far from optimal); gap_lower = scale / UB − 1 (at least this far)',
  ];
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
