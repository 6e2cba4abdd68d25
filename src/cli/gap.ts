import { z } from 'zod';
import { fmt, formatTable } from '../analysis/format.ts';
import { GAP_DEFAULT_TIME_LIMIT_S, type GapReport, runGap } from '../analysis/gap.ts';
import { type GapIncumbent, interruptedGapResult } from '../analysis/gapIncumbent.ts';
import type { GapStep } from '../analysis/gapProgress.ts';
import { type RealisticGapReport, runRealisticGap } from '../analysis/realisticGap.ts';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { ONLINE_POLICY_NAMES } from '../policy/registry.ts';
import { withSchema } from '../schema/output.ts';
import type { SolverName } from '../solver/backends/backend.ts';
import { SOLVER_NAMES } from '../solver/backends/runners.ts';
import { csvText } from '../util/csv.ts';
import { scenarioFrom } from './common.ts';
import { CommandLineError, defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import {
  csvFlag,
  nameListFlag,
  outputFlag,
  quantileFlag,
  registryFlag,
  scenarioFlags,
  seedFlag,
  timeLimitFlag,
} from './options.ts';
import { phaseProgress } from './phaseProgress.ts';

const ONLINE = ONLINE_POLICY_NAMES;

export const gapCommand = defineCommand({
  options: {
    ...scenarioFlags(),
    mode: flag(z.enum(['realistic', 'exact']).default('realistic'), {
      describe:
        'realistic: bracket the optimum of the realistic simulator (LP lower bound, best simulated schedule); exact: the exact model (ILP, oracle)',
    }),
    quantile: quantileFlag('q'),
    solver: registryFlag(() => SOLVER_NAMES, 'MILP solver', 'highs'),
    ilp: flag(z.enum(['auto', 'on', 'off']).default('auto'), {
      describe:
        'solve the placement ILP (auto: up to 120 calls; exact mode: unless cheap bounds already prove the best policy optimal; realistic mode: its plan is replayed as a candidate schedule)',
    }),
    timeLimit: timeLimitFlag(GAP_DEFAULT_TIME_LIMIT_S),
    searchMoves: flag(z.number().int().nonnegative().optional(), {
      describe:
        'realistic mode: candidate schedules the priority search simulates (default: 60 up to 20k calls, about 1.2M simulated calls beyond; 0: none)',
    }),
    placementMoves: flag(z.number().int().nonnegative().optional(), {
      describe:
        'realistic mode: candidate schedules the placement search simulates (default: about 2.4M simulated calls, 4,000 up to 600 calls; 0: none). More moves, a tighter upper bound, deterministic for a given count',
    }),
    seed: seedFlag(),
    policies: nameListFlag(ONLINE, `comma-separated (default: ${ONLINE.join(',')})`),
    csv: csvFlag('one row per policy (scale, gaps, bounds)'),
    output: outputFlag(
      'also write the result (hexplan/gap-result@1) to this JSON file; on Ctrl-C, the bracket so far',
    ),
  },
  fieldFlags: {
    quantile: 'quantile',
    timeLimitS: 'time-limit',
    solver: 'solver',
    policies: 'policies',
    seed: 'seed',
  },
  examples: [
    ['$0 gap', 'bundled small workload on hetero-6, q = 0.95, realistic bracket'],
    ['$0 gap --mode exact', 'the exact model: placement ILP and cheap bounds'],
    [
      '$0 gap -w instances/workloads/large.json -c instances/clusters/hetero-32.json',
      'realistic LP bound and the best simulated schedule',
    ],
  ],
  run: async (o, ctx) => {
    if (o.mode === 'exact' && (o.searchMoves !== undefined || o.placementMoves !== undefined))
      throw new CommandLineError(
        '--search-moves and --placement-moves are for --mode realistic (the exact bracket searches no schedules)',
      );
    const scenario = scenarioFrom(o);
    const where = { workload: scenario.workloadFile, cluster: scenario.clusterFile };
    const write = (result: Parameters<typeof gapCsv>[0]) => {
      if (o.output) writeFileAtomic(o.output, toJsonText(withSchema('gap-result', result)));
      if (o.csv) writeFileAtomic(o.csv, gapCsv(result));
    };
    const progress = phaseProgress(ctx, 'gap');
    let incumbent: GapIncumbent | null = null;
    if (o.output || o.csv)
      ctx.onInterrupt(() => {
        if (!incumbent) return null;
        write({ ...where, ...interruptedGapResult(incumbent) });
        return [o.output, o.csv].filter(Boolean).join(', ');
      });
    const common = {
      quantile: o.quantile,
      solver: o.solver as SolverName,
      timeLimitS: o.timeLimit,
      ilp: o.ilp,
      ...(o.policies ? { policies: o.policies } : {}),
      onProgress: (m: string) => progress.message(m),
      onStep: (step: GapStep) => progress.step(step),
      onIncumbent: (i: GapIncumbent) => {
        incumbent = i;
      },
    };
    if (o.mode === 'realistic') {
      const report = await runRealisticGap(scenario, {
        ...common,
        seed: o.seed,
        ...(o.searchMoves !== undefined ? { searchMoves: o.searchMoves } : {}),
        ...(o.placementMoves !== undefined ? { placementMoves: o.placementMoves } : {}),
      });
      progress.end();
      write({ ...where, ...report });
      ctx.emit('gap-result', { ...where, ...report }, () =>
        realisticGapText(scenario.workloadFile, scenario.clusterFile, report),
      );
      return;
    }
    const report = await runGap(scenario, common);
    progress.end();
    write({ ...where, ...report });
    ctx.emit('gap-result', { ...where, ...report }, () =>
      gapText(scenario.workloadFile, scenario.clusterFile, report),
    );
  },
});

/** One row per policy, with the instance and the optimum's bounds repeated: ready to plot or join. */
type GapCsvInput = { workload: string; cluster: string } & (
  | GapReport
  | RealisticGapReport
  | ReturnType<typeof interruptedGapResult>
);

export function gapCsv(r: GapCsvInput): string {
  return csvText(
    [
      'workload',
      'cluster',
      'mode',
      'quantile',
      'policy',
      'scale',
      'gap_upper_pct',
      'gap_lower_pct',
      'verified',
      'lower_bound',
      'upper_bound',
      'status',
    ],
    r.policies.map((p) => ({
      workload: r.workload,
      cluster: r.cluster,
      mode: r.mode,
      quantile: r.quantile,
      policy: p.name,
      scale: p.scale,
      gap_upper_pct: Number.isFinite(p.gap_upper_pct) ? p.gap_upper_pct : null,
      gap_lower_pct: Number.isFinite(p.gap_lower_pct) ? p.gap_lower_pct : null,
      verified: 'verified' in p ? p.verified : null,
      lower_bound: r.optimum.lower_bound,
      upper_bound: Number.isFinite(r.optimum.upper_bound) ? r.optimum.upper_bound : null,
      status: r.optimum.status,
    })),
  );
}

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
  const solved = o.lp_solves.filter((s) => s.status !== 'windows');
  const finest = Math.max(0, ...solved.map((s) => s.intervals));
  const coarse = solved.filter((s) => s.intervals < finest).length;
  const lps = `${solved.length} LPs${coarse > 0 ? `, ${coarse} of them on coarse grids` : ''}`;
  const lines = [
    `${workloadFile} on ${clusterFile}: ${r.workflows} workflows, ${r.calls} calls; required SLO scale at q = ${r.quantile} (realistic mode)`,
    '',
    `optimum of the realistic system: ${o.status === 'optimal' ? 'proven' : 'bracket'}`,
    `  lower bound  ${fmt(o.lower_bound, 4)}  from ${o.lower_bound_source} (${lps}, ${o.lp_s.toFixed(1)} s)`,
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
