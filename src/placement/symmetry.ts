import type { ResolvedInstance } from '../profile/costModel.ts';
import { LinearExpr, type Model } from '../solver/model.ts';
import type { PlacementData } from './data.ts';
import type { Schedule } from './schedule.ts';

/**
 * Groups of interchangeable instances: same GPU, model, tp, role, slots, KV capacity and
 * profile, and the same transfer time to and from every other instance. Swapping the labels
 * of two members maps every schedule to one with the same objective, so the model may insist
 * that members are used in order of their first call (the lowest-index call decides).
 */
export function identicalGroups(data: PlacementData): number[][] {
  const { instances } = data;
  const cost = data.scenario.cost;
  const same = (a: ResolvedInstance, b: ResolvedInstance): boolean => {
    if (
      a.gpu !== b.gpu ||
      a.model !== b.model ||
      a.tp !== b.tp ||
      a.role !== b.role ||
      a.decodeSlots !== b.decodeSlots ||
      a.kvCapacityTokens !== b.kvCapacityTokens ||
      JSON.stringify(a.profile) !== JSON.stringify(b.profile)
    ) {
      return false;
    }
    // Transfer time is affine in tokens, so two token counts pin it down.
    for (const tokens of [1, 4096]) {
      if (cost.transferS(a, b, tokens) !== cost.transferS(b, a, tokens)) return false;
      for (const q of instances) {
        if (q.index === a.index || q.index === b.index) continue;
        if (cost.transferS(a, q, tokens) !== cost.transferS(b, q, tokens)) return false;
        if (cost.transferS(q, a, tokens) !== cost.transferS(q, b, tokens)) return false;
      }
    }
    return true;
  };
  const groups: number[][] = [];
  for (const inst of instances) {
    const g = groups.find((grp) => same(instances[grp[0]!]!, inst));
    if (g) g.push(inst.index);
    else groups.push([inst.index]);
  }
  return groups.filter((g) => g.length > 1);
}

/** Whether an instance's order within its group is decided by its prefill calls (else its decodes). */
const byPrefill = (inst: ResolvedInstance) => inst.canPrefill;

/** Adds "member k is used by an earlier call than member k+1" rows; returns the number of groups. */
export function addSymmetryBreaking(
  model: Model,
  data: PlacementData,
  onPrefill: (g: number, p: number) => LinearExpr,
  onDecode: (g: number, d: number) => LinearExpr,
): number {
  const groups = identicalGroups(data);
  for (const grp of groups) {
    const usage = byPrefill(data.instances[grp[0]!]!) ? onPrefill : onDecode;
    for (let k = 0; k + 1 < grp.length; k++) {
      const a = grp[k]!;
      const b = grp[k + 1]!;
      const before = new LinearExpr();
      for (const c of data.calls) {
        const eligible = byPrefill(data.instances[a]!) ? c.prefill.includes(a) : c.decode.includes(a);
        if (!eligible) continue;
        model.addConstraint(`sym_${a}_${b}_${c.g}`, usage(c.g, b).addExpr(before, -1), '<=', 0);
        before.addExpr(usage(c.g, a));
      }
    }
  }
  return groups.length;
}

/** The same schedule with each group's members relabeled in order of first use (for warm starts). */
export function relabelForSymmetry(
  data: PlacementData,
  s: Schedule,
  scheduled: (g: number) => boolean = () => true,
): Schedule {
  const groups = identicalGroups(data);
  if (groups.length === 0) return s;
  const map = Int32Array.from(data.instances, (i) => i.index);
  for (const grp of groups) {
    const usedBy = byPrefill(data.instances[grp[0]!]!) ? s.prefillInstance : s.decodeInstance;
    const first = new Map(grp.map((m) => [m, Number.POSITIVE_INFINITY]));
    for (let g = usedBy.length - 1; g >= 0; g--) {
      if (scheduled(g) && first.has(usedBy[g]!)) first.set(usedBy[g]!, g);
    }
    const sorted = [...grp].sort((x, y) => first.get(x)! - first.get(y)! || x - y);
    sorted.forEach((m, k) => {
      map[m] = grp[k]!;
    });
  }
  return {
    prefillInstance: Int32Array.from(s.prefillInstance, (i) => map[i]!),
    decodeInstance: Int32Array.from(s.decodeInstance, (i) => map[i]!),
    prefillStartS: s.prefillStartS,
    decodeStartS: s.decodeStartS,
  };
}
