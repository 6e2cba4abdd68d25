import { HexplanError } from '../errors.ts';
import { builtinProfile } from '../profile/builtin.ts';
import { buildCostModel } from '../profile/costModel.ts';
import { kvCapacityTokens } from '../profile/memory.ts';
import type { Cluster, Instance } from '../schema/cluster.ts';
import type { Workload } from '../schema/workload.ts';
import { indexDag, topologicalOrder } from '../workload/dag.ts';
import { type CallClass, deriveClasses } from './classes.ts';
import { provisionedCluster } from './cluster.ts';
import { classRatios, referenceCallS } from './eligibility.ts';
import { type ProvisionSetup, tpFor } from './offers.ts';
import type { CallTable, ClassDemand, InstanceType, ProvisionProblem, RoutePair } from './types.ts';

export function instanceTypes(setup: ProvisionSetup, models: string[]): InstanceType[] {
  const types: InstanceType[] = [];
  for (const model of models) {
    const llm = setup.catalog.llms.get(model);
    if (!llm) throw new HexplanError(`workload: model "${model}" is not in the LLM catalog`);
    for (const gpu of setup.gpus) {
      for (const role of setup.roles) {
        const tp = tpFor(setup.catalog, gpu, llm, role, setup.memUtil);
        if (tp === null) continue;
        const kv = kvCapacityTokens(builtinProfile(setup.catalog, gpu.spec, llm, tp), setup.memUtil);
        types.push({
          index: types.length,
          key: `${model}|${gpu.name}|${role}`,
          model,
          gpu: gpu.name,
          role,
          tp,
          costPerHour: gpu.pricePerGpuHour * tp,
          canPrefill: role !== 'decode',
          canDecode: role !== 'prefill',
          decodeSlots: gpu.decodeSlots,
          kvCapacityTokens: kv,
          networkBytesPerS: gpu.spec.network_gbytes_per_s * 1e9 * tp,
        });
      }
    }
  }
  return types;
}

export function probeCluster(setup: ProvisionSetup, types: InstanceType[]): Cluster {
  const instances: Instance[] = [];
  for (const t of types) {
    for (const node of ['a', 'b'] as const) {
      instances.push({
        id: `${t.key}|${node}`,
        gpu: t.gpu,
        model: t.model,
        tp: t.tp,
        role: t.role,
        node: `${t.gpu}-${node}`,
        decode_slots: t.decodeSlots,
      });
    }
  }
  return provisionedCluster('provision-probe', setup, instances);
}

export function buildCallTable(workload: Workload, setup: ProvisionSetup): CallTable {
  const models = [...new Set(workload.workflows.map((w) => w.model))].sort();
  const types = instanceTypes(setup, models);
  if (types.length === 0)
    throw new HexplanError(`${setup.file}: no GPU in the catalog can hold the workload's model`);
  const probe = buildCostModel(probeCluster(setup, types), { catalog: setup.catalog, source: setup.file });
  const inst = (t: number, node: 'a' | 'b') => probe.instances[2 * t + (node === 'a' ? 0 : 1)]!;
  const pairs: RoutePair[] = [];
  for (const p of types) {
    if (!p.canPrefill) continue;
    for (const d of types) if (d.canDecode && d.model === p.model) pairs.push({ p: p.index, d: d.index });
  }
  const kvBytesPerToken = new Map<string, number>();
  for (const t of types) {
    if (!kvBytesPerToken.has(t.model))
      kvBytesPerToken.set(t.model, inst(t.index, 'a').profile.kv_bytes_per_token);
  }
  const calls: Array<[number, number]> = [];
  workload.workflows.forEach((wf, w) => {
    for (let i = 0; i < wf.calls.length; i++) calls.push([w, i]);
  });
  const n = calls.length;
  const prefillS: Float64Array[] = new Array(n);
  const decodeS: Float64Array[] = new Array(n);
  const latencyS: Float64Array[] = new Array(n);
  const kvTokens = new Int32Array(n);
  const transferBytes = new Float64Array(n);
  const toolS = new Float64Array(n);
  calls.forEach(([w, i], k) => {
    const wf = workload.workflows[w]!;
    const c = wf.calls[i]!;
    const pre = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const dec = new Float64Array(types.length).fill(Number.POSITIVE_INFINITY);
    const kv = probe.kvTokens(c.input_tokens, c.output_tokens);
    for (const t of types) {
      if (t.model !== wf.model) continue;
      if (t.canPrefill) pre[t.index] = probe.prefillS(inst(t.index, 'a'), c.input_tokens);
      if (t.canDecode && kv <= t.kvCapacityTokens) {
        dec[t.index] = probe.decodeS(inst(t.index, 'a'), c.input_tokens, c.output_tokens);
      }
    }
    const lat = new Float64Array(pairs.length);
    pairs.forEach((pr, j) => {
      const tr = probe.transferS(inst(pr.p, 'a'), inst(pr.d, 'b'), c.input_tokens);
      lat[j] = pre[pr.p]! + tr + dec[pr.d]!;
    });
    prefillS[k] = pre;
    decodeS[k] = dec;
    latencyS[k] = lat;
    kvTokens[k] = kv;
    toolS[k] = c.tool_s;
    transferBytes[k] = c.input_tokens * (kvBytesPerToken.get(wf.model) ?? 0);
  });
  return {
    types,
    pairs,
    prefillS,
    decodeS,
    latencyS,
    kvTokens,
    transferBytes,
    toolS,
    calls,
    probe,
    probeInstance: inst,
  };
}

/**
 * Each call's start time in standalone execution: arrival + the longest path of (tool delay +
 * reference call time) before it + its own tool delay. The calls' arrival process for rates.
 */
export function standaloneStartS(workload: Workload, table: CallTable, refS: Float64Array): Float64Array {
  const out = new Float64Array(table.calls.length);
  let base = 0;
  for (const wf of workload.workflows) {
    const dag = indexDag(wf);
    const finish = new Float64Array(wf.calls.length);
    for (const i of topologicalOrder(dag)!) {
      let ready = wf.arrival_s;
      for (const d of dag.deps[i]!) ready = Math.max(ready, finish[d]!);
      const start = ready + wf.calls[i]!.tool_s;
      out[base + i] = start;
      finish[i] = start + refS[base + i]!;
    }
    base += wf.calls.length;
  }
  return out;
}

/** Class demand: means over each class's calls, per type. */
export function classDemands(
  classes: CallClass[],
  table: CallTable,
  callIndex: Map<string, number>,
): ClassDemand[] {
  const nt = table.types.length;
  return classes.map((cls) => {
    const prefillS = new Array<number>(nt).fill(0);
    const decodeS = new Array<number>(nt).fill(0);
    const decodeKvTokenS = new Array<number>(nt).fill(0);
    let bytes = 0;
    for (const [w, i] of cls.calls) {
      const k = callIndex.get(`${w}:${i}`)!;
      for (let t = 0; t < nt; t++) {
        prefillS[t]! += table.prefillS[k]![t]!;
        decodeS[t]! += table.decodeS[k]![t]!;
        decodeKvTokenS[t]! += table.decodeS[k]![t]! * table.kvTokens[k]!;
      }
      bytes += table.transferBytes[k]!;
    }
    const n = cls.calls.length;
    return {
      id: cls.id,
      model: cls.model,
      ratePerS: cls.ratePerS,
      prefillS: prefillS.map((x) => x / n),
      decodeS: decodeS.map((x) => x / n),
      decodeKvTokenS: decodeKvTokenS.map((x) => x / n),
      transferBytes: bytes / n,
    };
  });
}

export interface DemandModel {
  table: CallTable;
  classes: CallClass[];
  demands: ClassDemand[];
  callIndex: Map<string, number>;
  spanS: number;
}

/** Classes, their rates and per-type demand for a workload (ratios come per reference set). */
export function buildDemand(workload: Workload, setup: ProvisionSetup, maxClasses?: number): DemandModel {
  const table = buildCallTable(workload, setup);
  const all = new Set(setup.gpus.map((g) => g.name));
  const startS = standaloneStartS(workload, table, referenceCallS(workload, table, all));
  const classes = deriveClasses(workload, { maxClasses, callStartS: startS });
  const callIndex = new Map<string, number>();
  table.calls.forEach(([w, i], k) => {
    callIndex.set(`${w}:${i}`, k);
  });
  const demands = classDemands(classes, table, callIndex);
  const spanS = classes[0]!.calls.length / classes[0]!.ratePerS;
  return { table, classes, demands, callIndex, spanS };
}

/** The MILP input for one reference set of GPUs. */
export function problemFor(
  workload: Workload,
  setup: ProvisionSetup,
  demand: DemandModel,
  gpus: ReadonlySet<string>,
  quantile = 1,
): ProvisionProblem {
  const refS = referenceCallS(workload, demand.table, gpus);
  return {
    types: demand.table.types,
    gpuLimits: setup.gpus.map((g) => ({ gpu: g.name, availableGpus: g.availableGpus })),
    classes: demand.demands,
    pairs: demand.table.pairs,
    ratio: classRatios(demand.classes, demand.table, demand.callIndex, refS, quantile),
  };
}
