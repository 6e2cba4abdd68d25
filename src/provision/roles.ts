import { gpuTag } from './cluster.ts';
import type { InstanceType } from './types.ts';

/**
 * The answer's P:D ratio and what each role does, in one line, e.g.
 * "P:D 2:3 + 1 mixed: prefill (prompts, compute-bound) on 2× h100; decode (token generation,
 * memory-bound, KV transferred in) on 3× a100 tp2; mixed (both stages, no transfer) on 1× h200".
 */
export function explainRoles(types: InstanceType[], counts: readonly number[]): string {
  const on = (role: InstanceType['role']) =>
    types
      .filter((t) => t.role === role && counts[t.index]! > 0)
      .map((t) => `${counts[t.index]}× ${gpuTag(t.gpu)}${t.tp > 1 ? ` tp${t.tp}` : ''}`)
      .join(' + ');
  const total = (role: InstanceType['role']) =>
    types.reduce((s, t) => s + (t.role === role ? counts[t.index]! : 0), 0);
  const p = total('prefill');
  const d = total('decode');
  const m = total('mixed');
  const parts: string[] = [];
  if (p > 0) parts.push(`prefill (prompts, compute-bound) on ${on('prefill')}`);
  if (d > 0) parts.push(`decode (token generation, memory-bound, KV transferred in) on ${on('decode')}`);
  if (m > 0) parts.push(`mixed (both stages on one instance, no transfer) on ${on('mixed')}`);
  const ratio = p + d > 0 ? `P:D ${p}:${d}${m > 0 ? ` + ${m} mixed` : ''}` : `no PD split: ${m} mixed`;
  return `${ratio}: ${parts.join('; ')}`;
}
