import { quoteId } from '../../errors.ts';
import { getObjective } from '../../objective/registry.ts';
import type { ResolvedInstance } from '../../profile/costModel.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { Objective, Plan } from '../../schema/plan.ts';
import { type ObjectiveValues, objectiveValues } from '../../slo/objectiveValues.ts';
import { claimViolations } from './claims.ts';
import { decodeCapacity, prefillOverlaps, type StageInterval } from './resources.ts';
import { definitelyLess } from './tolerance.ts';

/**
 * The independent plan checker (`hexplan verify`). It re-derives every exact-mode constraint
 * of docs/concepts.md from the cost model's durations and shares no code with the placement ILP, so a
 * solver bug cannot hide behind the same bug in its checker.
 */
export interface VerifyResult {
  ok: boolean;
  violations: string[];
  objective: Objective;
  quantile: number;
  /** The plan's objective recomputed from its own times; null when the plan is incomplete. */
  objectiveValue: number | null;
  reportedObjective: number | null;
  values: ObjectiveValues | null;
  /** Per workflow, in workload order; null when the plan is incomplete. */
  finishS: Float64Array | null;
  scales: Float64Array | null;
}

export interface VerifyOptions {
  /** Quantile for the required-scale objective (default: the plan's, else 0.95). */
  quantile?: number;
  /** The plan's file, named when its objective is unknown (default `plan`). */
  planFile?: string;
  /** Most violation lines kept (the count of the rest is reported). */
  maxViolations?: number;
}

interface Slot {
  planIndex: number;
  p: ResolvedInstance | null;
  d: ResolvedInstance | null;
  prefillStartS: number;
  prefillEndS: number;
  decodeStartS: number;
  decodeEndS: number;
}

const fmt = (t: number) => `${+t.toFixed(6)} s`;

export function verifyPlan(scenario: Scenario, plan: Plan, options: VerifyOptions = {}): VerifyResult {
  const { workload, cost } = scenario;
  const quantile = options.quantile ?? plan.quantile ?? 0.95;
  // Checked first: an unknown objective is the plan file's fault, whatever else is wrong.
  const objective = getObjective(plan.objective, `${options.planFile ?? 'plan'}: objective`);
  const violations: string[] = [];
  const flows = workload.workflows;
  const wfIndex = new Map(flows.map((wf, w) => [wf.id, w]));
  const callIndex = flows.map((wf) => new Map(wf.calls.map((c, i) => [c.id, i])));
  const slots: Array<Array<Slot | null>> = flows.map((wf) => wf.calls.map(() => null));

  // 1. Identity: every planned call exists, once, on instances that may run it.
  let unknownWorkflows = 0; // planned calls whose workflow or call id is unknown
  plan.calls.forEach((pc, k) => {
    const at = `calls[${k}]`;
    const w = wfIndex.get(pc.workflow);
    if (w === undefined) {
      unknownWorkflows++;
      violations.push(`${at}: unknown workflow ${quoteId(pc.workflow)}`);
      return;
    }
    const wf = flows[w]!;
    const i = callIndex[w]!.get(pc.call);
    if (i === undefined) {
      unknownWorkflows++;
      violations.push(`${at}: workflow ${quoteId(wf.id)} has no call ${quoteId(pc.call)}`);
      return;
    }
    const name = quoteId(`${wf.id}/${pc.call}`);
    const prev = slots[w]![i];
    if (prev) {
      violations.push(`${at}: call ${name} planned twice (first at calls[${prev.planIndex}])`);
      return;
    }
    const call = wf.calls[i]!;
    const p = checkInstance(at, name, pc.prefill_instance, 'prefill', wf.model, violations, scenario);
    const d = checkInstance(at, name, pc.decode_instance, 'decode', wf.model, violations, scenario);
    const prefillEndS = p ? pc.prefill_start_s + cost.prefillS(p, call.input_tokens) : Number.NaN;
    const decodeEndS = d
      ? pc.decode_start_s + cost.decodeS(d, call.input_tokens, call.output_tokens)
      : Number.NaN;
    slots[w]![i] = {
      planIndex: k,
      p,
      d,
      prefillStartS: pc.prefill_start_s,
      prefillEndS,
      decodeStartS: pc.decode_start_s,
      decodeEndS,
    };
    if (d && cost.kvTokens(call.input_tokens, call.output_tokens) > d.kvCapacityTokens) {
      violations.push(
        `${at}: ${name}: needs ${cost.kvTokens(call.input_tokens, call.output_tokens)} KV tokens, ` +
          `decode instance ${quoteId(d.id)} holds ${d.kvCapacityTokens}`,
      );
    }
  });
  // Most ids unknown: almost surely the wrong workload, which deserves one clear line first.
  if (unknownWorkflows * 2 >= plan.calls.length) {
    violations.unshift(
      `plan is for another workload: ${unknownWorkflows} of its ${plan.calls.length} planned calls are not ` +
        `calls of ${scenario.workloadFile}`,
    );
  }

  // 2. Completeness.
  let missing = 0;
  flows.forEach((wf, w) => {
    wf.calls.forEach((c, i) => {
      if (!slots[w]![i]) {
        if (missing++ < 50) violations.push(`missing call ${quoteId(`${wf.id}/${c.id}`)}: not in the plan`);
      }
    });
  });
  if (missing > 50) violations.push(`… and ${missing - 50} more calls missing from the plan`);

  // 3. Precedence, tool delays and transfers, per call.
  flows.forEach((wf, w) => {
    wf.calls.forEach((c, i) => {
      const s = slots[w]![i];
      if (!s) return;
      const at = `calls[${s.planIndex}]: ${quoteId(`${wf.id}/${c.id}`)}`;
      let readyS = wf.arrival_s + c.tool_s;
      let why = `arrival ${fmt(wf.arrival_s)} + tool ${fmt(c.tool_s)}`;
      let known = true;
      if (c.deps.length > 0) readyS = Number.NEGATIVE_INFINITY;
      for (const depId of c.deps) {
        const dep = slots[w]![callIndex[w]!.get(depId)!];
        if (!dep?.d) {
          known = false; // reported as missing or misplaced already
          continue;
        }
        if (dep.decodeEndS + c.tool_s > readyS) {
          readyS = dep.decodeEndS + c.tool_s;
          why = `dep ${quoteId(`${wf.id}/${depId}`)} decode ends ${fmt(dep.decodeEndS)} + tool ${fmt(c.tool_s)}`;
        }
      }
      if (known && definitelyLess(s.prefillStartS, readyS)) {
        violations.push(
          `${at}: prefill starts at ${fmt(s.prefillStartS)} before the call is ready at ${fmt(readyS)} (${why})`,
        );
      }
      if (s.p && s.d) {
        const transferS = cost.transferS(s.p, s.d, c.input_tokens);
        const earliest = s.prefillEndS + transferS;
        if (definitelyLess(s.decodeStartS, earliest)) {
          violations.push(
            `${at}: decode starts at ${fmt(s.decodeStartS)} before prefill end ${fmt(s.prefillEndS)} + ` +
              `transfer ${fmt(transferS)} = ${fmt(earliest)}`,
          );
        }
      }
    });
  });

  // 4. Shared resources, per instance.
  const prefills = cost.instances.map((): StageInterval[] => []);
  const decodes = cost.instances.map((): StageInterval[] => []);
  flows.forEach((wf, w) => {
    wf.calls.forEach((c, i) => {
      const s = slots[w]![i];
      if (!s) return;
      const label = quoteId(`${wf.id}/${c.id}`);
      const kvTokens = cost.kvTokens(c.input_tokens, c.output_tokens);
      if (s.p)
        prefills[s.p.index]!.push({ label, startS: s.prefillStartS, endS: s.prefillEndS, kvTokens: 0 });
      if (s.d) decodes[s.d.index]!.push({ label, startS: s.decodeStartS, endS: s.decodeEndS, kvTokens });
    });
  });
  for (const inst of cost.instances) {
    violations.push(...prefillOverlaps(inst, prefills[inst.index]!));
    violations.push(...decodeCapacity(inst, decodes[inst.index]!));
  }

  // 5. Objective, when every call has a decode end.
  const complete = flows.every((_, w) => slots[w]!.every((s) => s?.d));
  let values: ObjectiveValues | null = null;
  let finishS: Float64Array | null = null;
  let scales: Float64Array | null = null;
  let objectiveValue: number | null = null;
  const reportedObjective = plan.reported?.objective ?? null;
  if (complete) {
    finishS = Float64Array.from(flows, (_, w) => Math.max(...slots[w]!.map((s) => s!.decodeEndS)));
    const scored = objectiveValues(workload, scenario.standaloneS, finishS, quantile);
    values = scored.values;
    scales = scored.scales;
    objectiveValue = objective.valueOf(values);
    // Claims are the plan's own: checked at its quantile even when the caller scores another.
    const planQuantile = plan.quantile ?? 0.95;
    const ownValue =
      planQuantile === quantile
        ? objectiveValue
        : objective.valueOf(objectiveValues(workload, scenario.standaloneS, finishS, planQuantile).values);
    violations.push(...claimViolations(plan, plan.objective, ownValue));
  }

  const max = options.maxViolations ?? 500;
  const kept =
    violations.length > max
      ? [...violations.slice(0, max), `… and ${violations.length - max} more violations`]
      : violations;
  return {
    ok: violations.length === 0,
    violations: kept,
    objective: plan.objective,
    quantile,
    objectiveValue,
    reportedObjective,
    values,
    finishS,
    scales,
  };
}

function checkInstance(
  at: string,
  name: string,
  id: string,
  stage: 'prefill' | 'decode',
  model: string,
  violations: string[],
  scenario: Scenario,
): ResolvedInstance | null {
  const inst = scenario.cost.byId.get(id);
  if (!inst) {
    violations.push(`${at}: ${name}: ${stage} instance ${quoteId(id)} is not in ${scenario.clusterFile}`);
    return null;
  }
  let ok = true;
  if (inst.model !== model) {
    violations.push(
      `${at}: ${name}: ${stage} instance ${quoteId(id)} serves ${inst.model}, the workflow needs ${model}`,
    );
    ok = false;
  }
  if (stage === 'prefill' ? !inst.canPrefill : !inst.canDecode) {
    violations.push(`${at}: ${name}: ${stage} on ${quoteId(id)}, whose role (${inst.role}) cannot ${stage}`);
    ok = false;
  }
  return ok ? inst : null;
}
