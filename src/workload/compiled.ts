import type { Workload } from '../schema/workload.ts';

/**
 * A workload flattened into typed arrays, indexed by a global call number (workload order:
 * workflow by workflow, calls in file order). Built once per simulation; the event loop and
 * the policy view read only these arrays, never the workload objects.
 */
export interface CompiledWorkload {
  workflows: number;
  calls: number;
  /** Calls of workflow w are firstCall[w] … firstCall[w + 1] − 1. */
  firstCall: Int32Array;
  arrivalS: Float64Array;
  /** Index into `models`. */
  modelOf: Int32Array;
  models: string[];
  /** Index into `families` (the workflow's `family`, or "" when it has none). */
  familyOf: Int32Array;
  families: string[];
  workflowOf: Int32Array;
  inputTokens: Int32Array;
  outputTokens: Int32Array;
  toolS: Float64Array;
  /** CSR adjacency: dependencies of call c are depIndex[depStart[c] … depStart[c + 1] − 1]. */
  depStart: Int32Array;
  depIndex: Int32Array;
  childStart: Int32Array;
  childIndex: Int32Array;
}

const cache = new WeakMap<Workload, CompiledWorkload>();

/**
 * The compiled form of a workload, built once per workload object and reused (compare and
 * sweeps simulate the same workload many times). Engines never mutate it. A workload must not
 * be mutated after its first simulation.
 */
export function compiledWorkload(workload: Workload): CompiledWorkload {
  let compiled = cache.get(workload);
  if (!compiled) {
    compiled = compileWorkload(workload);
    cache.set(workload, compiled);
  }
  return compiled;
}

export function compileWorkload(workload: Workload): CompiledWorkload {
  const wfs = workload.workflows;
  const W = wfs.length;
  let N = 0;
  let E = 0;
  for (const wf of wfs) {
    N += wf.calls.length;
    for (const c of wf.calls) E += c.deps.length;
  }
  const firstCall = new Int32Array(W + 1);
  const arrivalS = new Float64Array(W);
  const modelOf = new Int32Array(W);
  const familyOf = new Int32Array(W);
  const models: string[] = [];
  const families: string[] = [];
  const modelIndex = new Map<string, number>();
  const familyIndex = new Map<string, number>();
  const workflowOf = new Int32Array(N);
  const inputTokens = new Int32Array(N);
  const outputTokens = new Int32Array(N);
  const toolS = new Float64Array(N);
  const depStart = new Int32Array(N + 1);
  const depIndex = new Int32Array(E);
  const childCount = new Int32Array(N + 1);
  let c = 0;
  let e = 0;
  for (let w = 0; w < W; w++) {
    const wf = wfs[w]!;
    firstCall[w] = c;
    arrivalS[w] = wf.arrival_s;
    modelOf[w] = intern(modelIndex, models, wf.model);
    familyOf[w] = intern(familyIndex, families, wf.family ?? '');
    const base = c;
    // Ids are unique within a workflow (checked when the workload was loaded). Small workflows
    // (nearly all) look dependencies up by a linear scan: cheaper than building a Map each.
    const calls = wf.calls;
    const local = calls.length > 24 ? new Map(calls.map((call, i) => [call.id, i])) : null;
    const find = (id: string): number | undefined => {
      if (local) return local.get(id);
      for (let i = 0; i < calls.length; i++) if (calls[i]!.id === id) return i;
      return undefined;
    };
    for (const call of calls) {
      workflowOf[c] = w;
      inputTokens[c] = call.input_tokens;
      outputTokens[c] = call.output_tokens;
      toolS[c] = call.tool_s;
      depStart[c] = e;
      for (const dep of call.deps) {
        const d = find(dep);
        if (d === undefined) continue; // reported by the workload check
        depIndex[e++] = base + d;
        childCount[base + d]!++;
      }
      c++;
    }
  }
  firstCall[W] = N;
  depStart[N] = e;
  const childStart = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) childStart[i + 1] = childStart[i]! + childCount[i]!;
  const fill = childStart.slice(0, N);
  const childIndex = new Int32Array(e);
  for (let i = 0; i < N; i++) {
    for (let k = depStart[i]!; k < depStart[i + 1]!; k++) childIndex[fill[depIndex[k]!]!++] = i;
  }
  return {
    workflows: W,
    calls: N,
    firstCall,
    arrivalS,
    modelOf,
    models,
    familyOf,
    families,
    workflowOf,
    inputTokens,
    outputTokens,
    toolS,
    depStart,
    depIndex: e === E ? depIndex : depIndex.slice(0, e),
    childStart,
    childIndex,
  };
}

function intern(index: Map<string, number>, list: string[], key: string): number {
  let i = index.get(key);
  if (i === undefined) {
    i = list.length;
    list.push(key);
    index.set(key, i);
  }
  return i;
}
