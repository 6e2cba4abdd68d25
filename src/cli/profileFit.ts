import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { loadFile } from '../io/loadDocument.ts';
import { fitProfileFromCsv, mergeProfiles } from '../profile/fit.ts';
import { Profiles } from '../schema/profile.ts';
import { emit } from './common.ts';

interface Args {
  gpu: string;
  model: string;
  tp: number;
  prefillCsv: string;
  decodeCsv: string;
  output: string;
  merge: boolean;
  json: boolean;
}

export const fitProfileCommand: CommandModule<object, Args> = {
  command: 'fit-profile',
  builder: (y) =>
    y
      .option('gpu', { type: 'string', demandOption: true, describe: 'GPU name from models/gpus.json' })
      .option('model', { type: 'string', demandOption: true, describe: 'LLM name from models/llms.json' })
      .option('tp', {
        type: 'number',
        default: 1,
        describe: 'tensor-parallel degree of the measured instance',
      })
      .option('prefill-csv', {
        type: 'string',
        demandOption: true,
        describe: 'CSV with columns batch_tokens,prefill_ms',
      })
      .option('decode-csv', {
        type: 'string',
        demandOption: true,
        describe: 'CSV with columns batch,context_tokens,step_ms',
      })
      .option('output', {
        alias: 'o',
        type: 'string',
        demandOption: true,
        describe: 'profiles file to write',
      })
      .option('merge', {
        type: 'boolean',
        default: false,
        describe: 'keep the other profiles already in --output',
      })
      .example(
        '$0 fit-profile --gpu H100-SXM5-80GB --model Qwen2.5-32B --tp 1 --prefill-csv p.csv --decode-csv d.csv -o profiles.json',
        'then set "profiles": "profiles.json" in a cluster file',
      ) as never,
  handler: (argv) => {
    const fit = fitProfileFromCsv(
      { gpu: argv.gpu, model: argv.model, tp: argv.tp },
      argv.prefillCsv,
      argv.decodeCsv,
    );
    const existing = argv.merge && existsSync(argv.output) ? loadFile(argv.output, Profiles) : null;
    writeFileAtomic(argv.output, toJsonText(mergeProfiles(existing, fit.profile)));
    const p = fit.profile;
    emit(argv.json, { file: argv.output, profile: p, prefill_fit: fit.prefill, decode_fit: fit.decode }, () =>
      [
        `${argv.output}: fitted profile ${p.gpu} / ${p.model} / TP${p.tp}`,
        `prefill_ms(T) = ${p.prefill.p0_ms.toPrecision(4)} + ${p.prefill.p1_ms_per_token.toPrecision(4)}·T + ${p.prefill.p2_ms_per_token2.toPrecision(4)}·T²` +
          `   (${fit.prefill.points} points, RMSE ${fit.prefill.rmseMs.toPrecision(3)} ms, max rel. error ${(100 * fit.prefill.maxRelError).toFixed(2)}%)`,
        `decode_step_ms(B, C) = ${p.decode.d0_ms.toPrecision(4)} + ${p.decode.d1_ms_per_seq.toPrecision(4)}·B + ${p.decode.d2_ms_per_token.toPrecision(4)}·C` +
          `   (${fit.decode.points} points, RMSE ${fit.decode.rmseMs.toPrecision(3)} ms, max rel. error ${(100 * fit.decode.maxRelError).toFixed(2)}%)`,
      ].join('\n'),
    );
  },
};
