import { HexplanError, quoteId } from '../errors.ts';
import type { CompiledPlan } from '../policy/policy.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import type { CompiledWorkload } from '../workload/compiled.ts';

/**
 * Resolves a plan's ids against the scenario into per-call arrays for `replay`. Unknown
 * workflows, calls or instances, duplicates, calls the plan leaves out and instances that
 * cannot run the stage are user errors naming the plan entry.
 */
export function compilePlan(
  plan: Plan,
  scenario: Scenario,
  wl: CompiledWorkload,
  planFile = 'plan',
): CompiledPlan {
  const N = wl.calls;
  const out: CompiledPlan = {
    prefill: new Int32Array(N).fill(-1),
    decode: new Int32Array(N).fill(-1),
    prefillStartS: new Float64Array(N),
    decodeStartS: new Float64Array(N),
  };
  const wfIndex = new Map(scenario.workload.workflows.map((wf, w) => [wf.id, w]));
  const callIndex = new Map<string, number>();
  const problems: string[] = [];
  const where = (i: number) => `${planFile}: calls[${i}]`;
  plan.calls.forEach((pc, i) => {
    const w = wfIndex.get(pc.workflow);
    if (w === undefined) {
      problems.push(`${where(i)}.workflow: unknown workflow ${quoteId(pc.workflow)}`);
      return;
    }
    const wf = scenario.workload.workflows[w]!;
    if (!callIndex.has(`${w}\0`)) {
      wf.calls.forEach((c, k) => {
        callIndex.set(`${w}\0${c.id}`, wl.firstCall[w]! + k);
      });
      callIndex.set(`${w}\0`, -1);
    }
    const c = callIndex.get(`${w}\0${pc.call}`);
    if (c === undefined) {
      problems.push(`${where(i)}.call: unknown call ${quoteId(pc.call)} in workflow ${quoteId(pc.workflow)}`);
      return;
    }
    if (out.prefill[c] !== -1) {
      problems.push(`${where(i)}: call ${quoteId(`${pc.workflow}/${pc.call}`)} is planned twice`);
      return;
    }
    const p = scenario.cost.byId.get(pc.prefill_instance);
    const d = scenario.cost.byId.get(pc.decode_instance);
    if (!p) problems.push(`${where(i)}.prefill_instance: unknown instance ${quoteId(pc.prefill_instance)}`);
    else if (!p.canPrefill || p.model !== wf.model)
      problems.push(
        `${where(i)}.prefill_instance: ${quoteId(p.id)} cannot prefill ${wf.model} (role ${p.role}, model ${p.model})`,
      );
    if (!d) problems.push(`${where(i)}.decode_instance: unknown instance ${quoteId(pc.decode_instance)}`);
    else if (!d.canDecode || d.model !== wf.model)
      problems.push(
        `${where(i)}.decode_instance: ${quoteId(d.id)} cannot decode ${wf.model} (role ${d.role}, model ${d.model})`,
      );
    else {
      const need = scenario.cost.kvTokens(wl.inputTokens[c]!, wl.outputTokens[c]!);
      if (need > d.kvCapacityTokens)
        problems.push(
          `${where(i)}.decode_instance: ${quoteId(d.id)} holds ${d.kvCapacityTokens} KV tokens, the call needs ${need}`,
        );
    }
    if (!p || !d) return;
    out.prefill[c] = p.index;
    out.decode[c] = d.index;
    out.prefillStartS[c] = pc.prefill_start_s;
    out.decodeStartS[c] = pc.decode_start_s;
  });
  if (problems.length === 0) {
    const missing: string[] = [];
    for (let w = 0; w < wl.workflows; w++) {
      const wf = scenario.workload.workflows[w]!;
      wf.calls.forEach((call, k) => {
        if (out.prefill[wl.firstCall[w]! + k] === -1) missing.push(`${quoteId(`${wf.id}/${call.id}`)}`);
      });
    }
    if (missing.length > 0) {
      problems.push(
        `${planFile}: calls: ${missing.length} call(s) of the workload are not planned: ${missing.slice(0, 10).join(', ')}` +
          (missing.length > 10 ? ', …' : ''),
      );
    }
  }
  if (problems.length > 0) throw new HexplanError(problems[0]!, { problems: problems.slice(0, 50) });
  return out;
}
