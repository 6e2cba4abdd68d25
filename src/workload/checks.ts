import type { Workload } from '../schema/workload.ts';
import { findCycle, indexDag } from './dag.ts';

/** Semantic checks beyond shape; returns `FILE: json.path: message` lines (empty when valid). */
export function checkWorkload(file: string, workload: Workload, knownModels?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seenWorkflows = new Map<string, number>();
  workload.workflows.forEach((wf, w) => {
    const at = `workflows[${w}]`;
    const prev = seenWorkflows.get(wf.id);
    if (prev !== undefined)
      problems.push(`${file}: ${at}.id: duplicate workflow id "${wf.id}" (also workflows[${prev}])`);
    else seenWorkflows.set(wf.id, w);
    if (knownModels && !knownModels.has(wf.model)) {
      problems.push(
        `${file}: ${at}.model: unknown model "${wf.model}" (known: ${[...knownModels].join(', ')})`,
      );
    }
    const seenCalls = new Map<string, number>();
    let duplicateIds = false;
    wf.calls.forEach((call, c) => {
      const prevCall = seenCalls.get(call.id);
      if (prevCall !== undefined) {
        duplicateIds = true;
        problems.push(
          `${file}: ${at}.calls[${c}].id: duplicate call id "${call.id}" (also calls[${prevCall}])`,
        );
      } else seenCalls.set(call.id, c);
    });
    // Deps that all point to earlier calls (the usual file order) cannot form a cycle, so the
    // cycle search runs only when some dep points forward: importers check millions of workflows.
    let pointsForward = false;
    wf.calls.forEach((call, c) => {
      call.deps.forEach((dep, k) => {
        const where = `${file}: ${at}.calls[${c}].deps[${k}]`;
        const target = seenCalls.get(dep);
        if (dep === call.id) problems.push(`${where}: call "${call.id}" depends on itself`);
        else if (target === undefined)
          problems.push(`${where}: unknown call "${dep}" in workflow "${wf.id}"`);
        else if (target > c) pointsForward = true;
      });
    });
    // With duplicate ids the graph is ambiguous and a "cycle" found in it would mislead.
    const cycle = duplicateIds || !pointsForward ? null : findCycle(indexDag(wf));
    if (cycle && cycle.length > 2) {
      problems.push(`${file}: ${at}.calls: dependency cycle ${cycle.join(' → ')} (each depends on the next)`);
    }
  });
  return problems;
}
