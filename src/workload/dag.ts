import type { Workflow } from '../schema/workload.ts';

/** A workflow's calls as integer-indexed adjacency, built once and shared by every algorithm. */
export interface DagIndex {
  ids: string[];
  indexOf: Map<string, number>;
  /** deps[i] = indices of the calls call i waits for. */
  deps: number[][];
  /** children[i] = indices of the calls waiting for call i. */
  children: number[][];
}

/** Indexes a workflow; unknown deps are dropped here (the semantic check reports them). */
export function indexDag(workflow: Workflow): DagIndex {
  const ids = workflow.calls.map((c) => c.id);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const deps = workflow.calls.map((c) =>
    c.deps.map((d) => indexOf.get(d)).filter((i): i is number => i !== undefined),
  );
  const children: number[][] = ids.map(() => []);
  deps.forEach((ds, i) => {
    for (const d of ds) children[d]!.push(i);
  });
  return { ids, indexOf, deps, children };
}

/**
 * Kahn's algorithm, taking ready calls in file order so the result is deterministic.
 * Returns null when the graph has a cycle.
 */
export function topologicalOrder(dag: DagIndex): number[] | null {
  const n = dag.ids.length;
  const remaining = dag.deps.map((d) => d.length);
  const order: number[] = [];
  // A min-ordered frontier keeps file order among ready calls without sorting each step.
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (remaining[i] === 0) ready.push(i);
  let head = 0;
  while (head < ready.length) {
    const i = ready[head++]!;
    order.push(i);
    for (const c of dag.children[i]!) {
      remaining[c]!--;
      if (remaining[c] === 0) ready.push(c);
    }
  }
  return order.length === n ? order : null;
}

/** Finds one cycle and returns its call ids in dependency order (first id repeated at the end). */
export function findCycle(dag: DagIndex): string[] | null {
  const n = dag.ids.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const parent = new Int32Array(n).fill(-1);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    // Iterative DFS so deep chains cannot overflow the stack.
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [v, k] = top;
      const deps = dag.deps[v]!;
      if (k < deps.length) {
        top[1]++;
        const u = deps[k]!;
        if (state[u] === 1) {
          const cycle = [dag.ids[u]!];
          for (let w = v; w !== u && w !== -1; w = parent[w]!) cycle.push(dag.ids[w]!);
          cycle.push(dag.ids[u]!);
          return cycle.reverse();
        }
        if (state[u] === 0) {
          state[u] = 1;
          parent[u] = v;
          stack.push([u, 0]);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }
  return null;
}

/**
 * Longest path through the DAG where call i costs `costOf(i)`; returns the path's length and
 * the finish time of every call when each starts as soon as its dependencies finish.
 */
export function criticalPath(dag: DagIndex, order: number[], costOf: (i: number) => number) {
  const finish = new Float64Array(dag.ids.length);
  let length = 0;
  for (const i of order) {
    let start = 0;
    for (const d of dag.deps[i]!) if (finish[d]! > start) start = finish[d]!;
    finish[i] = start + costOf(i);
    if (finish[i]! > length) length = finish[i]!;
  }
  return { length, finish };
}
