import type { CommandModule } from 'yargs';
import { compare, defaultComparePolicies } from '../analysis/compare.ts';
import { fmt, formatTable, pct } from '../analysis/format.ts';
import { POLICY_NAMES } from '../policy/registry.ts';
import { loadPlan } from '../scenario/documents.ts';
import { SIM_MODES, type SimMode } from '../sim/types.ts';
import { emit, info, parseList, progressEnabled, scenarioFrom, withScenarioOptions } from './common.ts';
import { parsePolicyOptions } from './simulate.ts';

interface Args {
  workload: string;
  cluster: string;
  policies?: string;
  mode: SimMode;
  plan?: string;
  'policy-option'?: string[];
  'prefill-token-budget': number;
  'include-strawmen': boolean;
  json: boolean;
}

export const compareCommand: CommandModule<object, Args> = {
  command: 'compare',
  builder: (y) =>
    withScenarioOptions(y)
      .option('policies', {
        type: 'string',
        describe: `comma-separated (default: all; replay only with --plan): ${POLICY_NAMES.join(',')}`,
      })
      .option('mode', { type: 'string', default: 'exact', choices: SIM_MODES as string[] })
      .option('plan', { type: 'string', describe: 'plan file: adds the replay policy' })
      .option('policy-option', {
        type: 'string',
        array: true,
        describe: 'POLICY.key=value (repeatable), e.g. hexagent.k_target=3',
      })
      .option('prefill-token-budget', {
        type: 'number',
        default: 8192,
        describe: 'realistic mode prefill batch',
      })
      .option('include-strawmen', {
        type: 'boolean',
        default: false,
        describe: 'count strawman baselines (round-robin fcfs) in the averaged reduction',
      })
      .example(
        '$0 compare -w instances/workloads/medium.json -c instances/clusters/hetero-6.json',
        '',
      ) as never,
  handler: (argv) => {
    const scenario = scenarioFrom(argv);
    const plan = argv.plan ? loadPlan(argv.plan) : undefined;
    const policies = argv.policies
      ? parseList('policies', argv.policies, POLICY_NAMES)
      : defaultComparePolicies(plan !== undefined);
    const policyOptions: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(parsePolicyOptions(argv['policy-option']))) {
      const dot = key.indexOf('.');
      const [name, option] = dot > 0 ? [key.slice(0, dot), key.slice(dot + 1)] : ['hexagent', key];
      parseList('policy-option', name, POLICY_NAMES);
      policyOptions[name] = { ...policyOptions[name], [option]: value };
    }
    const result = compare(scenario, policies, {
      mode: argv.mode,
      policyOptions,
      ...(plan ? { plan } : {}),
      prefillTokenBudget: argv['prefill-token-budget'],
      includeStrawmen: argv['include-strawmen'],
      onPolicy: progressEnabled() ? (name, i, n) => info(`compare: ${i + 1}/${n} ${name} done`) : undefined,
    });
    emit(argv.json, result, () => {
      const att = (curve: Array<[number, number]>, k: number) =>
        curve.find(([x]) => x === k)?.[1] ?? Number.NaN;
      const table = formatTable(
        ['policy', 'p50', 'p95', 'p99', 'mean', 'max', 'att@1.5', 'att@2', 'makespan_s'],
        result.policies.map((p) => [
          p.name,
          fmt(p.p50),
          fmt(p.p95),
          fmt(p.p99),
          fmt(p.mean),
          fmt(p.max),
          pct(att(p.attainment, 1.5)),
          pct(att(p.attainment, 2)),
          fmt(p.makespan_s, 1),
        ]),
      );
      const head = `${result.mode} mode, ${result.policies[0]?.workflows ?? 0} workflows, ${result.policies[0]?.calls ?? 0} calls (${result.workload} on ${result.cluster})`;
      const red = result.hexagent_reduction;
      if (!red || red.versus.length === 0) return `${head}\n\n${table}`;
      const redTable = formatTable(
        ['hexagent vs', 'p95 reduction', 'p99 reduction'],
        [
          ...red.versus.map((v) => [
            v.baseline + (red.set_aside.includes(v.baseline) ? ' (strawman)' : ''),
            pct(v.p95),
            pct(v.p99),
          ]),
          ['(average)', pct(red.average_p95), pct(red.average_p99)],
        ],
      );
      const note =
        red.set_aside.length > 0
          ? `\n(average) leaves out the strawman ${red.set_aside.join(', ')}; --include-strawmen counts it`
          : '';
      return `${head}\n\n${table}\n\n${redTable}${note}`;
    });
  },
};
