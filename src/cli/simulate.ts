import { z } from 'zod';
import { fmt, formatTable, pct } from '../analysis/format.ts';
import { HexplanError } from '../errors.ts';
import { POLICY_NAMES } from '../policy/registry.ts';
import { loadPlan } from '../scenario/documents.ts';
import { DEFAULT_PREFILL_TOKEN_BUDGET, simulate } from '../sim/simulate.ts';
import { TRACE_FORMATS, traceFormatFor, writeTrace } from '../sim/traceFile.ts';
import { SimMode } from '../sim/types.ts';
import { attainmentCurve } from '../slo/attainment.ts';
import { scenarioFrom } from './common.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { scenarioFlags } from './options.ts';

/** Attainment curve points as labeled objects, the form every JSON output uses. */
export function labeledCurve(curve: ReadonlyArray<readonly [number, number]>) {
  return curve.map(([scale, attainment]) => ({ scale, attainment }));
}

export const policyOptionFlag = (describe: string) => flag(z.array(z.string()).optional(), { describe });

export const prefillTokenBudgetFlag = () =>
  flag(z.number().int().positive().default(DEFAULT_PREFILL_TOKEN_BUDGET), {
    describe: 'realistic mode: most tokens in one batched prefill',
  });

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

export const simulateCommand = defineCommand({
  options: {
    ...scenarioFlags(),
    policy: flag(z.enum(POLICY_NAMES as [string, ...string[]]).default('hexagent'), {
      alias: 'p',
      describe: 'policy to run',
    }),
    mode: flag(SimMode.default('exact'), { describe: 'simulator mode' }),
    trace: flag(z.string().min(1).optional(), {
      describe: 'write per-call and per-workflow records (.jsonl or .csv)',
      writes: true,
    }),
    traceFormat: flag(z.enum(TRACE_FORMATS as [string, ...string[]]).optional(), {
      describe: 'override the extension',
    }),
    policyOption: policyOptionFlag('policy tunable key=value (repeatable), e.g. k_target=3'),
    plan: flag(z.string().min(1).optional(), { describe: 'plan file for --policy replay' }),
    prefillTokenBudget: prefillTokenBudgetFlag(),
  },
  examples: [
    ['$0 simulate --policy hexagent --mode exact --trace run.jsonl', 'HexAGenT on the bundled defaults'],
    ['$0 simulate -w W -c C --policy replay --plan plan.json', 'replay an offline plan'],
  ],
  run: (argv, ctx) => {
    const scenario = scenarioFrom(argv);
    if (argv.policy === 'replay' && !argv.plan) throw new HexplanError('--policy replay needs --plan PLAN');
    const plan = argv.plan ? loadPlan(argv.plan) : undefined;
    const shared = scenario.cost.instances.filter((i) => i.timeshare).map((i) => i.id);
    // Exact mode has no shared-GPU semantics: on a saturated shared GPU it can be several
    // times more optimistic than the cluster as it would run (docs/simulator.md).
    if (argv.mode === 'exact' && shared.length > 0)
      ctx.info(
        `note: exact mode runs mixed instance${shared.length === 1 ? '' : 's'} ${shared.join(', ')} with prefill and ` +
          `decode side by side; the cluster's mixed_timeshare (one GPU for both) is simulated with --mode realistic`,
      );
    const bar = ctx.progress('simulate', 100);
    let result: ReturnType<typeof simulate>;
    try {
      result = simulate(scenario, argv.policy, {
        mode: argv.mode,
        policyOptions: parsePolicyOptions(argv.policyOption),
        ...(plan ? { plan, planFile: argv.plan } : {}),
        prefillTokenBudget: argv.prefillTokenBudget,
        onProgress: (f) => bar.update(Math.round(100 * f), 'workflows arrived'),
      });
    } finally {
      bar.stop();
    }
    const traceFiles = argv.trace
      ? writeTrace(
          result,
          argv.trace,
          traceFormatFor(argv.trace, argv.traceFormat as 'jsonl' | 'csv' | undefined),
        )
      : [];
    const m = result.metrics;
    ctx.emit(
      'simulate-result',
      {
        policy: result.policy,
        mode: result.mode,
        workload: scenario.workloadFile,
        cluster: scenario.clusterFile,
        metrics: m,
        attainment: labeledCurve(attainmentCurve(result.scales)),
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
});
