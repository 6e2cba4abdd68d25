import { quoteId } from '../../errors.ts';
import type { ResolvedInstance } from '../../profile/costModel.ts';
import { tolerance } from './tolerance.ts';

/** One stage of a planned call on one instance, with its duration already re-derived. */
export interface StageInterval {
  label: string;
  startS: number;
  endS: number;
  kvTokens: number;
}

const fmt = (t: number) => `${+t.toFixed(6)} s`;

/** One prefill at a time: consecutive intervals (by start) must not overlap beyond tolerance. */
export function prefillOverlaps(inst: ResolvedInstance, stages: StageInterval[]): string[] {
  const sorted = stages.slice().sort((a, b) => a.startS - b.startS || a.endS - b.endS);
  const out: string[] = [];
  let last: StageInterval | null = null;
  for (const s of sorted) {
    if (last && s.startS < last.endS - tolerance(s.startS, last.endS)) {
      out.push(
        `prefill overlap on ${quoteId(inst.id)}: ${last.label} [${fmt(last.startS)}, ${fmt(last.endS)}) and ` +
          `${s.label} [${fmt(s.startS)}, ${fmt(s.endS)})`,
      );
    }
    if (!last || s.endS > last.endS) last = s;
  }
  return out;
}

/**
 * Decode slots and KV capacity by a sweep over start/end events. Intervals are half-open, so
 * at equal times ends are processed before starts; an end is moved earlier by the tolerance
 * so a start a hair before it (solver noise) does not count as an overlap.
 */
export function decodeCapacity(inst: ResolvedInstance, stages: StageInterval[]): string[] {
  const n = stages.length;
  const times = new Float64Array(2 * n);
  const kinds = new Int8Array(2 * n); // 0 end, 1 start: ends first at ties
  const who = new Int32Array(2 * n);
  const order: number[] = [];
  stages.forEach((s, i) => {
    times[2 * i] = s.endS - Math.min(tolerance(s.endS, s.startS), (s.endS - s.startS) / 2);
    kinds[2 * i] = 0;
    who[2 * i] = i;
    times[2 * i + 1] = s.startS;
    kinds[2 * i + 1] = 1;
    who[2 * i + 1] = i;
    order.push(2 * i, 2 * i + 1);
  });
  order.sort((a, b) => times[a]! - times[b]! || kinds[a]! - kinds[b]! || a - b);
  const active = new Set<number>();
  let kv = 0;
  let slotViolations = 0;
  let kvViolations = 0;
  let firstSlot = '';
  let firstKv = '';
  for (const e of order) {
    const i = who[e]!;
    const s = stages[i]!;
    if (kinds[e] === 0) {
      if (active.delete(i)) kv -= s.kvTokens;
      continue;
    }
    active.add(i);
    kv += s.kvTokens;
    const names = () =>
      [...active]
        .slice(0, 6)
        .map((j) => stages[j]!.label)
        .join(', ') + (active.size > 6 ? ', …' : '');
    if (active.size > inst.decodeSlots) {
      if (slotViolations++ === 0)
        firstSlot =
          `decode slots exceeded on ${quoteId(inst.id)} at ${fmt(s.startS)}: ${active.size} concurrent decodes > ` +
          `${inst.decodeSlots} slots (${names()})`;
    }
    if (kv > inst.kvCapacityTokens) {
      if (kvViolations++ === 0)
        firstKv =
          `KV capacity exceeded on ${quoteId(inst.id)} at ${fmt(s.startS)}: ${kv} tokens reserved > ` +
          `${inst.kvCapacityTokens} (${names()})`;
    }
  }
  const out: string[] = [];
  if (slotViolations) out.push(firstSlot + more(slotViolations));
  if (kvViolations) out.push(firstKv + more(kvViolations));
  return out;
}

function more(count: number): string {
  return count > 1 ? `; ${count - 1} more decode starts exceed it` : '';
}
