import type { CommandModule } from 'yargs';
import { fmt, formatTable, pct } from '../analysis/format.ts';
import { HexplanError } from '../errors.ts';
import { POLICY_NAMES } from '../policy/registry.ts';
import { loadPlan } from '../scenario/documents.ts';
import { simulate } from '../sim/simulate.ts';
import { traceFormatFor, writeTrace } from '../sim/traceFile.ts';
import { SIM_MODES, type SimMode } from '../sim/types.ts';
import { attainmentCurve } from '../slo/attainment.ts';
import { emit, scenarioFrom, withScenarioOptions } from './common.ts';

interface Args {
  workload: string;
  cluster: string;
  policy: string;
  mode: SimMode;
  trace?: string;
  'trace-format'?: string;
  'policy-option'?: string[];
  plan?: string;
  'prefill-token-budget': number;
  json: boolean;
}

/** `--policy-option key=value` (repeatable) → { key: value }; values stay strings, the policy parses them. */
export function parsePolicyOptions(values: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new HexplanError(`--policy-option: expected key=value, got "${v}"`);
    out[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return out;
}

export const simulateCommand: CommandModule<object, Args> = {
  command: 'simulate',
  builder: (y) =>
    withScenarioOptions(y)
      .option('policy', {
        alias: 'p',
        type: 'string',
        default: 'hexagent',
        choices: POLICY_NAMES as string[],
      })
      .option('mode', { type: 'string', default: 'exact', choices: SIM_MODES as string[] })
      .option('trace', {
        type: 'string',
        describe: 'write per-call and per-workflow records (.jsonl or .csv)',
      })
      .option('trace-format', {
        type: 'string',
        choices: ['jsonl', 'csv'],
        describe: 'override the extension',
      })
      .option('policy-option', {
        type: 'string',
        array: true,
        describe: 'policy tunable key=value (repeatable), e.g. k_target=3',
      })
      .option('plan', { type: 'string', describe: 'plan file for --policy replay' })
      .option('prefill-token-budget', {
        type: 'number',
        default: 8192,
        describe: 'realistic mode: most tokens in one batched prefill',
      })
      .example(
        '$0 simulate --policy hexagent --mode exact --trace run.jsonl',
        'HexAGenT on the bundled defaults',
      )
      .example('$0 simulate -w W -c C --policy replay --plan plan.json', 'replay an offline plan') as never,
  handler: (argv) => {
    const scenario = scenarioFrom(argv);
    if (argv.policy === 'replay' && !argv.plan) throw new HexplanError('--policy replay needs --plan PLAN');
    const plan = argv.plan ? loadPlan(argv.plan) : undefined;
    const result = simulate(scenario, argv.policy, {
      mode: argv.mode,
      policyOptions: parsePolicyOptions(argv['policy-option']),
      ...(plan ? { plan, planFile: argv.plan } : {}),
      prefillTokenBudget: argv['prefill-token-budget'],
    });
    const traceFiles = argv.trace
      ? writeTrace(result, argv.trace, traceFormatFor(argv.trace, argv['trace-format']))
      : [];
    const m = result.metrics;
    emit(
      argv.json,
      {
        policy: result.policy,
        mode: result.mode,
        workload: scenario.workloadFile,
        cluster: scenario.clusterFile,
        metrics: m,
        attainment: attainmentCurve(result.scales),
        trace: traceFiles,
      },
      () => {
        const summary = formatTable(
          ['policy', 'mode', 'workflows', 'calls', 'p50', 'p95', 'p99', 'mean', 'max', 'makespan_s'],
          [
            [
              result.policy,
              result.mode,
              String(m.workflows),
              String(m.calls),
              fmt(m.p50),
              fmt(m.p95),
              fmt(m.p99),
              fmt(m.mean),
              fmt(m.max),
              fmt(m.makespan_s, 1),
            ],
          ],
        );
        const inst = formatTable(
          ['instance', 'gpu', 'role', 'prefill_util', 'decode_slots', 'decode_busy', 'kv_mean', 'kv_peak'],
          m.instances.map((i) => {
            const pre = i.role !== 'decode';
            const dec = i.role !== 'prefill';
            const na = (ok: boolean, x: number) => (ok ? pct(x) : '-');
            return [
              i.id,
              i.gpu,
              i.role,
              na(pre, i.prefill_utilization),
              na(dec, i.decode_slot_utilization),
              na(dec, i.decode_busy_fraction),
              na(dec, i.kv_occupancy_mean),
              na(dec, i.kv_occupancy_peak),
            ];
          }),
        );
        const files = traceFiles.length > 0 ? `\ntrace: ${traceFiles.join(', ')}` : '';
        return `${summary}\n\n${inst}${files}`;
      },
    );
  },
};
