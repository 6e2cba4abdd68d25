import { z } from 'zod';
import { validateAnyFile } from '../analysis/validateAny.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';

export const validateCommand = defineCommand({
  options: {
    files: flag(z.array(z.string().min(1)).min(1), { describe: 'files to check', positional: true }),
  },
  examples: [
    ['$0 validate instances/workloads/*.json instances/clusters/*.json', 'check every bundled instance'],
  ],
  run: (o, ctx) => {
    const reports = o.files.map((f) => validateAnyFile(f));
    const ok = reports.every((r) => r.ok);
    ctx.emit('validate-result', { ok, files: reports }, () => {
      // Problems are errors, so they go to stderr like every other command's; ok lines are output.
      for (const r of reports)
        if (!r.ok) process.stderr.write(`${r.problems.map((p) => `error: ${p}`).join('\n')}\n`);
      return reports
        .filter((r) => r.ok)
        .map((r) => `${r.file}: ok (${r.summary})`)
        .join('\n');
    });
    return ok ? 0 : 1;
  },
});
