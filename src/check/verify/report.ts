import { oneLine } from '../../errors.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { VerifyResult } from './verifyPlan.ts';

/** `hexplan verify --json`: snake_case, numbers as recomputed from the plan's own times. */
export function verifyJson(scenario: Scenario, r: VerifyResult) {
  return {
    ok: r.ok,
    violations: r.violations,
    objective: r.objective,
    quantile: r.quantile,
    objective_value: r.objectiveValue,
    reported_objective: r.reportedObjective,
    required_scale: r.values?.requiredScale ?? null,
    makespan_s: r.values?.makespanS ?? null,
    mean_scale: r.values?.meanScale ?? null,
    weighted_tardiness_s: r.values?.weightedTardinessS ?? null,
    tolerance: { absolute_s: 1e-6, relative: 1e-9 },
    workflows: r.finishS
      ? scenario.workload.workflows.map((wf, w) => ({
          workflow: wf.id,
          finish_s: r.finishS![w]!,
          scale: r.scales![w]!,
        }))
      : null,
  };
}

/** The human rendering: each violation on its own line, or the recomputed objectives. */
export function verifyText(planFile: string, r: VerifyResult): string {
  const lines: string[] = [];
  if (r.ok)
    lines.push(`${planFile}: ok — satisfies every exact-mode constraint (tolerance 1e-6 s + 1e-9 relative)`);
  else {
    lines.push(`${planFile}: ${r.violations.length} violation${r.violations.length === 1 ? '' : 's'}`);
    for (const v of r.violations) lines.push(`  ✗ ${oneLine(v)}`);
  }
  if (r.values) {
    const v = r.values;
    lines.push(
      `objective ${r.objective}: ${r.objectiveValue} (reported: ${r.reportedObjective ?? 'none'})`,
      `required scale at q=${r.quantile}: ${v.requiredScale.toFixed(4)}   makespan: ${v.makespanS.toFixed(3)} s   ` +
        `mean scale: ${v.meanScale.toFixed(4)}   weighted tardiness: ${v.weightedTardinessS.toFixed(3)} s`,
    );
  }
  return lines.join('\n');
}
