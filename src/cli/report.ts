import type { CommandModule } from 'yargs';
import { HexplanError } from '../errors.ts';
import { writeReport } from '../report/report.ts';
import { scheduleFromPlan, scheduleFromTrace } from '../report/schedule.ts';
import { emit } from './common.ts';

interface Args {
  results?: string;
  trace?: string;
  plan?: string;
  workload?: string;
  cluster?: string;
  output: string;
  json: boolean;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report',
  builder: (y) =>
    y
      .option('results', {
        type: 'string',
        describe:
          'sweep results (JSON lines from `hexplan sweep`) or `provision --sweep-rates --json` output',
      })
      .option('trace', {
        type: 'string',
        describe: 'a `simulate --trace` file (JSONL or CSV): adds a Gantt chart of that schedule',
      })
      .option('plan', {
        type: 'string',
        describe: 'a plan (hexplan/plan@1): adds a Gantt chart of it, replayed on -w/-c',
      })
      .option('workload', {
        alias: 'w',
        type: 'string',
        describe: 'workload of --plan (default: the bundled small one)',
      })
      .option('cluster', {
        alias: 'c',
        type: 'string',
        describe: 'cluster of --plan (default: the bundled hetero-6)',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'report directory (created if missing): index.html, plots/*.svg and *.csv, results.json',
      })
      .example(
        '$0 report --results results.jsonl -o report',
        'HTML report with SVG plots and their data as CSV',
      )
      .example(
        '$0 report --results results.jsonl --trace run.jsonl -o report',
        '… and a Gantt chart of one schedule',
      ) as never,
  handler: async (argv) => {
    if (argv.trace !== undefined && argv.plan !== undefined)
      throw new HexplanError('--trace and --plan: choose one schedule');
    if (argv.results === undefined && argv.trace === undefined && argv.plan === undefined)
      throw new HexplanError('--results, --trace or --plan: give at least one');
    const schedule =
      argv.trace !== undefined
        ? scheduleFromTrace(argv.trace)
        : argv.plan !== undefined
          ? scheduleFromPlan(argv.plan, argv.workload, argv.cluster)
          : undefined;
    const summary = await writeReport(
      { ...(argv.results !== undefined ? { results: argv.results } : {}), ...(schedule ? { schedule } : {}) },
      argv.output,
    );
    emit(
      argv.json,
      summary,
      () =>
        `${summary.runs} runs, ${summary.figures} figure${summary.figures === 1 ? '' : 's'} in ${summary.sections} section${summary.sections === 1 ? '' : 's'}: ${summary.files.length} files written to ${summary.dir} (open ${summary.dir}/index.html)`,
    );
  },
};
