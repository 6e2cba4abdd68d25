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
    emit(argv.json, { ok, files: reports }, () =>
      reports.map((r) => (r.ok ? `${r.file}: ok (${r.summary})` : r.problems.join('\n'))).join('\n'),
    );
    if (!ok) process.exitCode = 1;
  },
};
