import { z } from 'zod';
import { profileReport } from '../profile/profileReport.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { gpuFlag, modelFlag } from './profileFit.ts';

/** A comma-separated list, each item checked by `item`. */
const commaList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(item).min(1));

const tokenCount = z.string().transform(Number).pipe(z.number().int().positive());
const decodePoint = z
  .string()
  .regex(/^\d+:\d+$/, 'expected BATCH:CONTEXT_TOKENS (e.g. 16:32768)')
  .transform((s) => {
    const [batch, contextTokens] = s.split(':').map(Number) as [number, number];
    return { batch, contextTokens };
  })
  .pipe(z.object({ batch: z.number().int().positive(), contextTokens: z.number().int().nonnegative() }));

const ms = (x: number) => x.toFixed(2);

export const profileCommand = defineCommand({
  options: {
    gpu: gpuFlag(),
    model: modelFlag(),
    tp: flag(z.number().int().positive().default(1), {
      describe: 'tensor-parallel degree (GPUs per instance)',
    }),
    prefill: flag(commaList(tokenCount).optional(), {
      describe: 'prompt lengths T,T,… to predict one prefill of',
    }),
    decode: flag(commaList(decodePoint).optional(), {
      describe: 'B:C,B:C,… decode steps to predict: B sequences holding C context tokens in total',
    }),
    memUtil: flag(z.number().gt(0).lte(1).default(0.9), {
      describe: 'fraction of GPU memory the engine uses',
    }),
    context: flag(z.number().int().positive().optional(), {
      describe: 'context tokens per sequence the decode batch limit is derived for (default 4096)',
    }),
  },
  fieldFlags: { gpu: 'gpu', model: 'model', tp: 'tp', memUtil: 'mem-util', contextTokensPerSeq: 'context' },
  examples: [
    [
      '$0 profile --gpu H200-SXM-141GB --model Qwen2.5-32B --prefill 512,4096 --decode 1:4096,32:131072',
      'coefficients, KV capacity and decode batch limit, and the predicted times',
    ],
  ],
  run: (o, ctx) => {
    const r = profileReport({
      gpu: o.gpu,
      model: o.model,
      tp: o.tp,
      prefillTokens: o.prefill ?? [],
      decode: o.decode ?? [],
      memUtil: o.memUtil,
      ...(o.context !== undefined ? { contextTokensPerSeq: o.context } : {}),
    });
    ctx.emit('profile-result', r, () => {
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
});
