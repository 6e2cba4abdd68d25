import type { CommandModule } from 'yargs';
import { writeReport } from '../report/report.ts';
import { emit } from './common.ts';

interface Args {
  results: string;
  output: string;
  json: boolean;
}

export const reportCommand: CommandModule<object, Args> = {
  command: 'report',
  builder: (y) =>
    y
      .option('results', {
        type: 'string',
        demandOption: true,
        describe:
          'sweep results (JSON lines from `hexplan sweep`) or `provision --sweep-rates --json` output',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'report directory (created if missing): index.html, plots/*.svg, results.json',
      })
      .example('$0 report --results results.jsonl -o report', 'HTML report with SVG plots') as never,
  handler: async (argv) => {
    const summary = await writeReport(argv.results, argv.output);
    emit(
      argv.json,
      summary,
      () =>
        `${summary.runs} ${summary.kind === 'sweep' ? 'runs' : 'rate multipliers'} in ${summary.sections} section${summary.sections === 1 ? '' : 's'}: ${summary.files.length} files written to ${summary.dir} (open ${summary.dir}/index.html)`,
    );
  },
};
