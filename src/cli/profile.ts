import type { CommandModule } from 'yargs';
import { HexplanError } from '../errors.ts';
import { profileReport } from '../profile/profileReport.ts';
import { emit } from './common.ts';

interface Args {
  gpu: string;
  model: string;
  tp: number;
  prefill?: string;
  decode?: string;
  memUtil: number;
  context?: number;
  json: boolean;
}

function parseTokens(value: string | undefined): number[] {
  if (value === undefined) return [];
  return value.split(',').map((s, i) => {
    const t = Number(s.trim());
    if (!Number.isInteger(t) || t <= 0)
      throw new HexplanError(`--prefill: item ${i + 1} "${s}" is not a positive integer token count`);
    return t;
  });
}

function parseDecode(value: string | undefined): Array<{ batch: number; contextTokens: number }> {
  if (value === undefined) return [];
  return value.split(',').map((s, i) => {
    const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(s);
    if (!m || Number(m[1]) <= 0)
      throw new HexplanError(`--decode: item ${i + 1} "${s}" is not BATCH:CONTEXT_TOKENS (e.g. 16:32768)`);
    return { batch: Number(m[1]), contextTokens: Number(m[2]) };
  });
}

const ms = (x: number) => x.toFixed(2);

export const profileCommand: CommandModule<object, Args> = {
  command: 'profile',
  builder: (y) =>
    y
      .option('gpu', { type: 'string', demandOption: true, describe: 'GPU name from models/gpus.json' })
      .option('model', { type: 'string', demandOption: true, describe: 'LLM name from models/llms.json' })
      .option('tp', { type: 'number', default: 1, describe: 'tensor-parallel degree (GPUs per instance)' })
      .option('prefill', { type: 'string', describe: 'prompt lengths T,T,… to predict one prefill of' })
      .option('decode', {
        type: 'string',
        describe: 'B:C,B:C,… decode steps to predict: B sequences holding C context tokens in total',
      })
      .option('mem-util', {
        type: 'number',
        default: 0.9,
        describe: 'fraction of GPU memory the engine uses',
      })
      .option('context', {
        type: 'number',
        describe: 'context tokens per sequence the decode batch limit is derived for (default 4096)',
      })
      .example(
        '$0 profile --gpu H200-SXM-141GB --model Qwen2.5-32B --prefill 512,4096 --decode 1:4096,32:131072',
        'coefficients, KV capacity and decode batch limit, and the predicted times',
      ) as never,
  handler: (argv) => {
    const r = profileReport({
      gpu: argv.gpu,
      model: argv.model,
      tp: argv.tp,
      prefillTokens: parseTokens(argv.prefill),
      decode: parseDecode(argv.decode),
      memUtil: argv.memUtil,
      contextTokensPerSeq: argv.context,
    });
    emit(argv.json, r, () => {
      const p = r.profile;
      const lines = [
        `${r.gpu} / ${r.model} / TP${r.tp}  (${p.provenance.method}: ${p.provenance.source})`,
        `prefill_ms(T)        = ${p.prefill.p0_ms.toPrecision(4)} + ${p.prefill.p1_ms_per_token.toPrecision(4)}·T + ${p.prefill.p2_ms_per_token2.toPrecision(4)}·T²`,
        `decode_step_ms(B, C) = ${p.decode.d0_ms.toPrecision(4)} + ${p.decode.d1_ms_per_seq.toPrecision(4)}·B + ${p.decode.d2_ms_per_token.toPrecision(4)}·C`,
        `memory ${p.memory_bytes} B usable, weights ${p.weight_bytes} B, reserve ${p.reserve_bytes} B, mem_util ${p.mem_util}`,
        `KV ${p.kv_bytes_per_token} B/token, capacity ${p.kv_capacity_tokens} tokens; decode batch limit ${p.decode_batch_limit} at ${p.context_tokens_per_seq} tokens/sequence`,
        ...Object.entries(p.provenance.coefficients ?? {}).map(([k, v]) => `  ${k}: ${v}`),
      ];
      for (const x of r.predictions.prefill) lines.push(`prefill ${x.tokens} tokens: ${ms(x.ms)} ms`);
      for (const x of r.predictions.decode)
        lines.push(`decode step, batch ${x.batch}, context ${x.context_tokens}: ${ms(x.ms)} ms`);
      return lines.join('\n');
    });
  },
};
