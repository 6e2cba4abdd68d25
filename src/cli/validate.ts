import type { CommandModule } from 'yargs';
import { validateFile } from '../scenario/documents.ts';
import { emit } from './common.ts';

interface Args {
  files: string[];
  json: boolean;
}

export const validateCommand: CommandModule<object, Args> = {
  command: 'validate <files..>',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'files to check' })
      .example(
        '$0 validate instances/workloads/*.json instances/clusters/*.json',
        'check every bundled instance',
      ) as never,
  handler: (argv) => {
    const reports = argv.files.map((f) => validateFile(f));
    const ok = reports.every((r) => r.ok);
    if (argv.json) emit(true, { ok, files: reports }, () => '');
    else {
      // Problems are errors, so they go to stderr like every other command's; ok lines are output.
      for (const r of reports)
        if (r.ok) process.stdout.write(`${r.file}: ok (${r.summary})\n`);
        else process.stderr.write(`${r.problems.map((p) => `error: ${p}`).join('\n')}\n`);
    }
    if (!ok) process.exitCode = 1;
  },
};
