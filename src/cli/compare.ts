import { z } from 'zod';
import { type Comparison, compare, defaultComparePolicies } from '../analysis/compare.ts';
import { fmt, formatTable, pct } from '../analysis/format.ts';
import { writeFileAtomic } from '../io/files.ts';
import { POLICY_NAMES } from '../policy/registry.ts';
import { loadPlan } from '../scenario/documents.ts';
import { SimMode } from '../sim/types.ts';
import { csvText } from '../util/csv.ts';
import { parseList, scenarioFrom } from './common.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { csvFlag, nameListFlag, scenarioFlags } from './options.ts';
import { labeledCurve, parsePolicyOptions, policyOptionFlag, prefillTokenBudgetFlag } from './simulate.ts';

export const compareCommand = defineCommand({
  options: {
    ...scenarioFlags(),
    policies: nameListFlag(
      POLICY_NAMES,
      `comma-separated (default: all; plan-following ones only with --plan): ${POLICY_NAMES.join(',')}`,
    ),
    mode: flag(SimMode.default('exact'), { describe: 'simulator mode' }),
    plan: flag(z.string().min(1).optional(), { describe: 'plan file: adds the plan-following policies' }),
    policyOption: policyOptionFlag('POLICY.key=value (repeatable), e.g. hexagent.k_target=3'),
    prefillTokenBudget: prefillTokenBudgetFlag(),
    includeStrawmen: flag(z.boolean().default(false), {
      describe: 'count strawman baselines (round-robin fcfs) in the averaged reduction',
    }),
    csv: csvFlag('one row per policy (quantiles, attainment at 1.5 and 2)'),
  },
  examples: [['$0 compare -w instances/workloads/medium.json -c instances/clusters/hetero-6.json', '']],
  run: (argv, ctx) => {
    const scenario = scenarioFrom(argv);
    const plan = argv.plan ? loadPlan(argv.plan) : undefined;
    const policies = argv.policies ?? defaultComparePolicies(plan !== undefined);
    const policyOptions: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(parsePolicyOptions(argv.policyOption))) {
      const dot = key.indexOf('.');
      const [name, option] = dot > 0 ? [key.slice(0, dot), key.slice(dot + 1)] : ['hexagent', key];
      parseList('policy-option', name, POLICY_NAMES);
      policyOptions[name] = { ...policyOptions[name], [option]: value };
    }
    const bar = ctx.progress('compare', policies.length);
    const result = compare(scenario, policies, {
      mode: argv.mode,
      policyOptions,
      ...(plan ? { plan } : {}),
      prefillTokenBudget: argv.prefillTokenBudget,
      includeStrawmen: argv.includeStrawmen,
      onPolicy: (name, i, n) => {
        if (n !== policies.length) bar.setTotal(n);
        bar.update(i + 1, `${name} done`);
      },
    });
    bar.stop();
    if (argv.csv) writeFileAtomic(argv.csv, compareCsv(result));
    const labeled = {
      ...result,
      policies: result.policies.map((p) => ({ ...p, attainment: labeledCurve(p.attainment) })),
    };
    ctx.emit('compare-result', labeled, () => {
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
});

/** One row per policy: the plot-ready table (workload and cluster repeated for joins). */
export function compareCsv(r: Comparison): string {
  const at = (curve: ReadonlyArray<readonly [number, number]>, k: number) =>
    curve.find(([x]) => x === k)?.[1] ?? null;
  return csvText(
    [
      'workload',
      'cluster',
      'mode',
      'policy',
      'workflows',
      'calls',
      'p50',
      'p95',
      'p99',
      'mean',
      'max',
      'attainment_at_1_5',
      'attainment_at_2',
      'makespan_s',
    ],
    r.policies.map((p) => ({
      workload: r.workload,
      cluster: r.cluster,
      mode: r.mode,
      policy: p.name,
      workflows: p.workflows,
      calls: p.calls,
      p50: p.p50,
      p95: p.p95,
      p99: p.p99,
      mean: p.mean,
      max: p.max,
      attainment_at_1_5: at(p.attainment, 1.5),
      attainment_at_2: at(p.attainment, 2),
      makespan_s: p.makespan_s,
    })),
  );
}
