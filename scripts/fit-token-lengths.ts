/**
 * Fits the token-length distributions the workload generators draw from to the real Azure
 * conversation trace and writes models/token-lengths.json (with the CC-BY-4.0 attribution).
 *
 *   npx tsx scripts/fit-token-lengths.ts TRACE.csv [-o models/token-lengths.json]
 *
 * TRACE.csv is the full AzureLLMInferenceTrace_conv.csv (traces/README.md says where to get it);
 * the bundled sample is too small to fit the tails.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonText, writeFileAtomic } from '../src/io/files.ts';
import { csvNumber, readCsv } from '../src/util/csv.ts';
import {
  AZURE_CONV_ATTRIBUTION,
  BUNDLED_TOKEN_LENGTHS,
  fitLengths,
  TOKEN_LENGTHS_SCHEMA,
  type TokenLengths,
} from '../src/workload/generate/tokenLengths.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIdx = args.indexOf('-o');
const out = outIdx >= 0 ? args[outIdx + 1]! : BUNDLED_TOKEN_LENGTHS;
const positional = args.filter((_, i) => i !== outIdx && i !== outIdx + 1);
const trace = positional[0];
if (!trace) {
  process.stderr.write(
    'usage: npx tsx scripts/fit-token-lengths.ts TRACE.csv [-o FILE]\n' +
      'TRACE.csv: the full Azure conversation trace (AzureLLMInferenceTrace_conv.csv; see traces/README.md)\n',
  );
  process.exit(2);
}

const rows = readCsv(trace, ['ContextTokens', 'GeneratedTokens']);
const positive = (x: number) => (x > 0 && Number.isInteger(x) ? null : 'expected a positive integer');
const context = rows.map((r) => csvNumber(trace, r, 'ContextTokens', positive));
const generated = rows.map((r) => csvNumber(trace, r, 'GeneratedTokens', positive));

// Clamps: inputs to [16, 8192] (a prompt shorter than a system header is not a real call; 8192
// keeps every call's KV far below the smallest decode instance of the bundled clusters);
// outputs to [4, 1000] (the trace itself caps generation at 1000 tokens).
const doc: TokenLengths = {
  schema: TOKEN_LENGTHS_SCHEMA,
  source: {
    file: 'AzurePublicDataset data/AzureLLMInferenceTrace_conv.csv (azure-llm-2023-conv.csv)',
    rows: rows.length,
    attribution: AZURE_CONV_ATTRIBUTION,
    license: 'CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)',
    fitted_by:
      'scripts/fit-token-lengths.ts (lognormal by maximum likelihood, and the empirical percentiles; sampler = the fit with the smaller KS distance)',
  },
  input_tokens: fitLengths(context, [16, 8192]),
  output_tokens: fitLengths(generated, [4, 1000]),
};
writeFileAtomic(out, toJsonText(doc));

function describe(name: string, f: TokenLengths['input_tokens']): string {
  const l = f.lognormal;
  return (
    `  ${name}: lognormal(mu=${l.mu}, sigma=${l.sigma}) KS=${l.ks_distance}; empirical percentiles KS=${f.empirical.ks_distance}; ` +
    `sampler=${f.sampler}, clamp [${f.clamp.join(', ')}] (${(100 * f.clamped_fraction).toFixed(2)}% of rows outside)\n`
  );
}
process.stdout.write(
  `${relative(root, out)} from ${rows.length} rows\n` +
    describe('input', doc.input_tokens) +
    describe('output', doc.output_tokens),
);
