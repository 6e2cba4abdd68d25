/**
 * Turns the Splitwise performance CSV (SplitwiseSim `data/perf_model.csv`, MIT) into
 * models/measurements/splitwise-llama2-70b.json: the median of each point's repetitions, for the
 * GPUs and model hexplan knows. Run once when the source changes:
 *
 *   npx tsx scripts/make-measurements.ts PATH/TO/splitwise-perf-model.csv && npx biome format --write models/measurements
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { median } from 'simple-statistics';
import { writeFileAtomic } from '../src/io/files.ts';
import { MEASUREMENTS_SCHEMA, type MeasuredPoint, Measurements } from '../src/schema/measurements.ts';

const GPUS: Record<string, string> = { 'a100-80gb': 'A100-SXM4-80GB', 'h100-80gb': 'H100-SXM5-80GB' };
const MODELS: Record<string, string> = { 'llama2-70b': 'Llama-2-70B' };

const file = process.argv[2];
if (!file) throw new Error('usage: make-measurements.ts SPLITWISE_CSV');
const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
  string,
  string
>[];

const prefill = new Map<string, number[]>();
const decode = new Map<string, number[]>();
for (const r of rows) {
  const gpu = GPUS[r.hardware!];
  const model = MODELS[r.model!];
  if (!gpu || !model) continue; // power-capped H100 and BLOOM-176B: not modeled
  const head = `${gpu}|${model}|${r.tensor_parallel}`;
  const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  // prompt_time does not depend on the generated length: pool every row of one (prompt, batch).
  push(prefill, `${head}|${r.prompt_size}|${r.batch_size}`, Number(r.prompt_time));
  push(decode, `${head}|${r.prompt_size}|${r.batch_size}|${r.token_size}`, Number(r.token_time));
}

const round = (x: number) => Number(x.toFixed(3));
const points: MeasuredPoint[] = [];
for (const [k, v] of prefill) {
  const [gpu, model, tp, tokens, batch] = k.split('|');
  points.push({
    kind: 'prefill',
    gpu: gpu!,
    model: model!,
    tp: Number(tp),
    tokens: Number(tokens),
    batch: Number(batch),
    ms: round(median(v)),
    repetitions: v.length,
  });
}
for (const [k, v] of decode) {
  const [gpu, model, tp, prompt, batch, generated] = k.split('|');
  // token_time is the mean step over the generation, whose context grows from prompt to
  // prompt + generated: its mean context per sequence is prompt + generated / 2.
  points.push({
    kind: 'decode',
    gpu: gpu!,
    model: model!,
    tp: Number(tp),
    batch: Number(batch),
    context_tokens: Number(batch) * (Number(prompt) + Number(generated) / 2),
    ms: round(median(v)),
    repetitions: v.length,
  });
}
const key = (p: MeasuredPoint) =>
  [
    p.gpu,
    p.model,
    p.tp,
    p.kind,
    p.batch,
    p.kind === 'prefill' ? p.tokens : p.kind === 'decode' ? p.context_tokens : p.input_tokens,
  ].join('|');
points.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

const doc = Measurements.parse({
  schema: MEASUREMENTS_SCHEMA,
  source:
    'SplitwiseSim (github.com/Mutinifni/splitwise-sim), data/perf_model.csv at commit 8f99e7d: measurements of the Splitwise paper (Patel et al., "Splitwise: Efficient generative LLM inference using phase splitting", ISCA 2024) on DGX-A100 and DGX-H100',
  license: 'MIT License, Copyright (c) 2024 Pratyush Patel',
  attribution:
    'Timings from SplitwiseSim data/perf_model.csv (MIT, Copyright (c) 2024 Pratyush Patel), measured for the Splitwise paper (Patel et al., ISCA 2024)',
  method:
    'median over repetitions (5, or 15 for the repeated 512-token point); prefill pooled over generated lengths; decode context_tokens = batch · (prompt + generated/2), the mean context of the measured generation; power-capped H100 and BLOOM-176B rows left out',
  points,
});
const out = fileURLToPath(new URL('../models/measurements/splitwise-llama2-70b.json', import.meta.url));
writeFileAtomic(out, `${JSON.stringify(doc, null, 1)}\n`);
process.stderr.write(`wrote ${points.length} points to ${out}\n`);
