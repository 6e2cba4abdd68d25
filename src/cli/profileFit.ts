import { existsSync } from 'node:fs';
import { z } from 'zod';
import { toJsonText, writeFileAtomic } from '../io/files.ts';
import { loadFile } from '../io/loadDocument.ts';
import { fitProfileFromCsv, mergeProfiles } from '../profile/fit.ts';
import { Profiles } from '../schema/profile.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { outputFlag } from './options.ts';

export const gpuFlag = () => flag(z.string().min(1), { describe: 'GPU name from models/gpus.json' });
export const modelFlag = () => flag(z.string().min(1), { describe: 'LLM name from models/llms.json' });

export const fitProfileCommand = defineCommand({
  options: {
    gpu: gpuFlag(),
    model: modelFlag(),
    tp: flag(z.number().int().positive().default(1), {
      describe: 'tensor-parallel degree of the measured instance',
    }),
    prefillCsv: flag(z.string().min(1), { describe: 'CSV with columns batch_tokens,prefill_ms' }),
    decodeCsv: flag(z.string().min(1), { describe: 'CSV with columns batch,context_tokens,step_ms' }),
    output: outputFlag('profiles file to write', true),
    merge: flag(z.boolean().default(false), { describe: 'keep the other profiles already in --output' }),
  },
  fieldFlags: { gpu: 'gpu', model: 'model', tp: 'tp' },
  examples: [
    [
      '$0 fit-profile --gpu H100-SXM5-80GB --model Qwen2.5-32B --tp 1 --prefill-csv p.csv --decode-csv d.csv -o profiles.json',
      'then set "profiles": "profiles.json" in a cluster file',
    ],
  ],
  run: (o, ctx) => {
    const fit = fitProfileFromCsv({ gpu: o.gpu, model: o.model, tp: o.tp }, o.prefillCsv, o.decodeCsv);
    const existing = o.merge && existsSync(o.output) ? loadFile(o.output, Profiles) : null;
    writeFileAtomic(o.output, toJsonText(mergeProfiles(existing, fit.profile)));
    const p = fit.profile;
    ctx.emit(
      'fit-profile-result',
      { output: o.output, profile: p, prefill_fit: fit.prefill, decode_fit: fit.decode },
      () =>
        [
          `${o.output}: fitted profile ${p.gpu} / ${p.model} / TP${p.tp}`,
          `prefill_ms(T) = ${p.prefill.p0_ms.toPrecision(4)} + ${p.prefill.p1_ms_per_token.toPrecision(4)}·T + ${p.prefill.p2_ms_per_token2.toPrecision(4)}·T²` +
            `   (${fit.prefill.points} points, RMSE ${fit.prefill.rmse_ms.toPrecision(3)} ms, max rel. error ${(100 * fit.prefill.max_rel_error).toFixed(2)}%)`,
          `decode_step_ms(B, C) = ${p.decode.d0_ms.toPrecision(4)} + ${p.decode.d1_ms_per_seq.toPrecision(4)}·B + ${p.decode.d2_ms_per_token.toPrecision(4)}·C` +
            `   (${fit.decode.points} points, RMSE ${fit.decode.rmse_ms.toPrecision(3)} ms, max rel. error ${(100 * fit.decode.max_rel_error).toFixed(2)}%)`,
        ].join('\n'),
    );
  },
});
