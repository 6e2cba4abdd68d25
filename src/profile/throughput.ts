import type { Profile } from '../schema/profile.ts';
import { decodeStepMs, prefillMs } from './formulas.ts';
import { decodeBatchLimit } from './memory.ts';

/**
 * Output tokens per second of one instance under maximum load, every request alike (input then
 * output tokens), as offline throughput benchmarks measure it: the instance decodes as many
 * sequences as its KV capacity holds at the request's full length (decodeBatchLimit, capped at
 * the engine's `maxBatch`), and each batch of B requests costs B prefills plus `output` steps at
 * batch B with the batch's mean context.
 */
export function maxThroughputTokensPerS(
  profile: Profile,
  inputTokens: number,
  outputTokens: number,
  engine: { kvCapacityTokens: number; maxBatch: number },
): { tokensPerS: number; batch: number } {
  const batch = decodeBatchLimit(engine.kvCapacityTokens, inputTokens + outputTokens, {
    maxBatch: engine.maxBatch,
  });
  const cycleMs =
    batch * prefillMs(profile, inputTokens) +
    outputTokens * decodeStepMs(profile, batch, batch * (inputTokens + outputTokens / 2));
  return { tokensPerS: (batch * outputTokens) / (cycleMs / 1000), batch };
}
