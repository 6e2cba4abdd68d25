import { z } from 'zod';
import { writeReport } from '../report/report.ts';
import { scheduleFromPlan, scheduleFromTrace } from '../report/schedule.ts';
import { CommandLineError, defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { phaseProgress } from './phaseProgress.ts';

const file = (describe: string, alias?: string) =>
  flag(z.string().min(1).optional(), { describe, ...(alias ? { alias } : {}) });

export const reportCommand = defineCommand({
  options: {
    results: file(
      'sweep results (JSON lines from `hexplan sweep`) or `provision --sweep-rates --json` output',
    ),
    trace: file('a `simulate --trace` file (JSONL or CSV): adds a Gantt chart of that schedule'),
    plan: file('a plan (hexplan/plan@1): adds a Gantt chart of it, replayed on -w/-c'),
    workload: file('workload of --plan (default: the bundled small one)', 'w'),
    cluster: file('cluster of --plan (default: the bundled hetero-6)', 'c'),
    output: flag(z.string().min(1), {
      alias: 'o',
      describe: 'report directory (created if missing): index.html, plots/*.svg and *.csv, results.json',
      writes: true,
    }),
  },
  examples: [
    ['$0 report --results results.jsonl -o report', 'HTML report with SVG plots and their data as CSV'],
    ['$0 report --results results.jsonl --trace run.jsonl -o report', '… and a Gantt chart of one schedule'],
  ],
  run: async (o, ctx) => {
    if (o.trace !== undefined && o.plan !== undefined)
      throw new CommandLineError('--trace and --plan: choose one schedule');
    if (o.results === undefined && o.trace === undefined && o.plan === undefined)
      throw new CommandLineError('--results, --trace or --plan: give at least one');
    if (o.plan === undefined && (o.workload !== undefined || o.cluster !== undefined))
      throw new CommandLineError('-w/-c: only with --plan (the schedule they replay)');
    const schedule =
      o.trace !== undefined
        ? scheduleFromTrace(o.trace)
        : o.plan !== undefined
          ? scheduleFromPlan(o.plan, o.workload, o.cluster)
          : undefined;
    const progress = phaseProgress(ctx, 'report');
    const summary = await writeReport(
      { ...(o.results !== undefined ? { results: o.results } : {}), ...(schedule ? { schedule } : {}) },
      o.output,
      {
        onFigure: (done, total) => progress.step({ phase: 'figures', done, total }),
      },
    );
    progress.end();
    ctx.emit(
      'report-result',
      summary,
      () =>
        `${summary.runs} runs, ${summary.figures} figure${summary.figures === 1 ? '' : 's'} in ${summary.sections} section${summary.sections === 1 ? '' : 's'}: ${summary.files.length} files written to ${summary.output} (open ${summary.output}/index.html)`,
    );
  },
});
