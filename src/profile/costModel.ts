import { HexplanError } from '../errors.ts';
import type { Cluster, Role } from '../schema/cluster.ts';
import type { Profile } from '../schema/profile.ts';
import { builtinProfile } from './builtin.ts';
import { type Catalog, loadCatalog } from './catalog.ts';
import { batchedPrefillMs, decodeStepMs, prefillMs } from './formulas.ts';
import { DEFAULT_DECODE_CONTEXT_TOKENS, decodeBatchLimit, kvCapacityTokens } from './memory.ts';
import { EXACT_DECODE_OCCUPANCY } from './occupancy.ts';

/** A cluster instance with everything the simulator, the ILP and the bounds need, resolved once. */
export interface ResolvedInstance {
  index: number;
  id: string;
  gpu: string;
  model: string;
  tp: number;
  role: Role;
  node: string;
  canPrefill: boolean;
  canDecode: boolean;
  decodeSlots: number;
  /** The batch exact mode prices a decode at: 1 + occupancy·(decodeSlots − 1). */
  nominalDecodeBatch: number;
  kvCapacityTokens: number;
  /** A mixed instance whose prefill and decode share its GPU in realistic mode (cluster `mixed_timeshare`). */
  timeshare: boolean;
  /** Shared by chunked prefill (`mixed_timeshare: "chunked"`) rather than whole batches first. */
  chunkedPrefill: boolean;
  profile: Profile;
}

/**
 * The one cost model (docs/architecture.md): every duration the simulator's exact mode, the placement
 * ILP, the verifier and the bounds use comes from here, so they cannot disagree.
 * Durations are in seconds, like the workload's times; profile formulas stay in ms.
 */
export class CostModel {
  readonly instances: ResolvedInstance[];
  readonly byId: Map<string, ResolvedInstance>;
  private readonly bandwidthBytesPerS: Float64Array;
  private readonly latencyS: Float64Array;
  private readonly kvBytesPerToken: Float64Array;
  /**
   * No transfer time is negative (the cluster schema's bounds make it so): a pair's finish
   * without its transfer is then a lower bound, which the pair search prunes with.
   */
  readonly transfersNonNegative: boolean;
  private readonly prefillByModel = new Map<string, ResolvedInstance[]>();
  private readonly decodeByModel = new Map<string, ResolvedInstance[]>();

  constructor(
    readonly cluster: Cluster,
    instances: ResolvedInstance[],
    links: { bandwidthBytesPerS: Float64Array; latencyS: Float64Array },
  ) {
    this.instances = instances;
    this.byId = new Map(instances.map((i) => [i.id, i]));
    this.bandwidthBytesPerS = links.bandwidthBytesPerS;
    this.latencyS = links.latencyS;
    this.kvBytesPerToken = Float64Array.from(instances, (i) => i.profile.kv_bytes_per_token);
    this.transfersNonNegative =
      this.kvBytesPerToken.every((b) => b >= 0) &&
      this.bandwidthBytesPerS.every((b) => b > 0) &&
      this.latencyS.every((l) => l >= 0);
    for (const inst of instances) {
      if (inst.canPrefill) pushTo(this.prefillByModel, inst.model, inst);
      if (inst.canDecode) pushTo(this.decodeByModel, inst.model, inst);
    }
  }

  prefillInstancesFor(model: string): ResolvedInstance[] {
    return this.prefillByModel.get(model) ?? [];
  }

  decodeInstancesFor(model: string): ResolvedInstance[] {
    return this.decodeByModel.get(model) ?? [];
  }

  /** Exact mode: one prefill at a time, lasting prefill_ms(input). */
  prefillS(inst: ResolvedInstance, inputTokens: number): number {
    return prefillMs(inst.profile, inputTokens) / 1000;
  }

  /**
   * Realistic mode: one prefill batch of prompts with `tokens` in all and `squareTokens` = Σ Tᵢ²
   * (each prompt attends to its own tokens only): p0 + p1·Σ Tᵢ + p2·Σ Tᵢ².
   */
  batchedPrefillS(inst: ResolvedInstance, tokens: number, squareTokens: number): number {
    return batchedPrefillMs(inst.profile, tokens, squareTokens) / 1000;
  }

  /**
   * Exact mode: a decode holds one slot for output · decode_step_ms(B, B · nominal context),
   * where the nominal context of a sequence is input + output/2 (its mean context over the
   * decode) and B = 1 + occupancy·(slots − 1) is the batch a decode meets on average in
   * realistic runs (not a full batch: decode batches are rarely full, and pricing them full made
   * exact mode's decodes slower than any realistic run). The duration depends only on the call
   * and the instance, so the ILP can use it as data.
   */
  decodeS(inst: ResolvedInstance, inputTokens: number, outputTokens: number): number {
    const batch = inst.nominalDecodeBatch;
    const nominalContext = inputTokens + outputTokens / 2;
    return (outputTokens * decodeStepMs(inst.profile, batch, batch * nominalContext)) / 1000;
  }

  /** Decode alone on the instance (batch of one): the standalone time's decode term. */
  decodeAloneS(inst: ResolvedInstance, inputTokens: number, outputTokens: number): number {
    return (outputTokens * decodeStepMs(inst.profile, 1, inputTokens + outputTokens / 2)) / 1000;
  }

  /** KV transfer of the prompt's cache from p to d; none when both stages share an instance. */
  transferS(p: ResolvedInstance, d: ResolvedInstance, inputTokens: number): number {
    return this.transferBetweenS(p.index, d.index, inputTokens);
  }

  /** transferS by ResolvedInstance.index, for the per-decision loops that hold indices. */
  transferBetweenS(p: number, d: number, inputTokens: number): number {
    if (p === d) return 0;
    const k = p * this.instances.length + d;
    const bytes = inputTokens * this.kvBytesPerToken[p]!;
    return bytes / this.bandwidthBytesPerS[k]! + this.latencyS[k]!;
  }

  /** KV tokens a decode reserves for its whole duration in exact mode. */
  kvTokens(inputTokens: number, outputTokens: number): number {
    return inputTokens + outputTokens;
  }

  /**
   * A call's standalone cost (docs/concepts.md): min over (p, d) of prefill + transfer + decode alone,
   * excluding tool time. Infinity when no pair serves the model or holds the call's KV.
   */
  standaloneCallS(model: string, inputTokens: number, outputTokens: number): number {
    let best = Number.POSITIVE_INFINITY;
    const kv = this.kvTokens(inputTokens, outputTokens);
    for (const p of this.prefillInstancesFor(model)) {
      const pre = this.prefillS(p, inputTokens);
      for (const d of this.decodeInstancesFor(model)) {
        if (d.kvCapacityTokens < kv) continue;
        const t = pre + this.transferS(p, d, inputTokens) + this.decodeAloneS(d, inputTokens, outputTokens);
        if (t < best) best = t;
      }
    }
    return best;
  }

  /** Largest KV (input + output tokens) any decode instance of the model can hold. */
  maxKvTokensFor(model: string): number {
    let max = 0;
    for (const d of this.decodeInstancesFor(model)) max = Math.max(max, d.kvCapacityTokens);
    return max;
  }
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface CostModelOptions {
  catalog?: Catalog;
  /** Measured or fitted profiles that replace the roofline ones for matching (gpu, model, tp). */
  profiles?: Profile[];
  /** Name used in error messages, usually the cluster file's path. */
  source?: string;
  /**
   * Mean KV tokens (input + output) of a call, by model: what a derived decode batch limit
   * divides the KV capacity by. Models absent: DEFAULT_DECODE_CONTEXT_TOKENS.
   */
  contextTokensPerCall?: Map<string, number>;
}

/** Resolves a (checked) cluster against the catalog into the shared cost model. */
export function buildCostModel(cluster: Cluster, options: CostModelOptions = {}): CostModel {
  const catalog = options.catalog ?? loadCatalog();
  const source = options.source ?? 'cluster';
  const overrides = new Map((options.profiles ?? []).map((p) => [`${p.gpu}\0${p.model}\0${p.tp}`, p]));
  const instances = cluster.instances.map((inst, index): ResolvedInstance => {
    const where = `${source}: instances[${index}]`;
    const gpu = catalog.gpus.get(inst.gpu);
    const llm = catalog.llms.get(inst.model);
    if (!gpu) throw new HexplanError(`${where}.gpu: unknown GPU "${inst.gpu}"`);
    if (!llm) throw new HexplanError(`${where}.model: unknown model "${inst.model}"`);
    const profile =
      overrides.get(`${inst.gpu}\0${inst.model}\0${inst.tp}`) ??
      builtinProfile(catalog, gpu, llm, inst.tp, where);
    const kvCapacity = kvCapacityTokens(profile, cluster.mem_util);
    if (kvCapacity <= 0) {
      throw new HexplanError(
        `${where}: model ${inst.model} (${(profile.weight_bytes / 1e9).toFixed(1)} GB of weights) does not fit ` +
          `${inst.tp}× ${inst.gpu} at mem_util ${cluster.mem_util}`,
      );
    }
    const derivedSlots = () => {
      const context = options.contextTokensPerCall?.get(inst.model) ?? DEFAULT_DECODE_CONTEXT_TOKENS;
      return decodeBatchLimit(kvCapacity, context, {
        stepMs: (b) => decodeStepMs(profile, b, b * context),
        maxTpotMs: cluster.max_tpot_ms,
      });
    };
    const decodeSlots = inst.decode_slots ?? cluster.default_decode_slots ?? derivedSlots();
    return {
      index,
      id: inst.id,
      gpu: inst.gpu,
      model: inst.model,
      tp: inst.tp,
      role: inst.role,
      node: inst.node,
      canPrefill: inst.role !== 'decode',
      canDecode: inst.role !== 'prefill',
      decodeSlots,
      nominalDecodeBatch: 1 + (cluster.exact_decode_occupancy ?? EXACT_DECODE_OCCUPANCY) * (decodeSlots - 1),
      kvCapacityTokens: kvCapacity,
      timeshare: inst.role === 'mixed' && (cluster.mixed_timeshare ?? false) !== false,
      chunkedPrefill: inst.role === 'mixed' && cluster.mixed_timeshare === 'chunked',
      profile,
    };
  });
  return new CostModel(cluster, instances, resolveLinks(cluster, instances, catalog));
}

/**
 * Bandwidth and latency for every ordered pair: NVLink within a node, the network across
 * nodes, each limited by the slower of the two GPUs; explicit overrides win.
 */
function resolveLinks(cluster: Cluster, instances: ResolvedInstance[], catalog: Catalog) {
  const n = instances.length;
  const bandwidthBytesPerS = new Float64Array(n * n);
  const latencyS = new Float64Array(n * n);
  const links = cluster.links;
  for (const p of instances) {
    const gp = catalog.gpus.get(p.gpu)!;
    for (const d of instances) {
      const gd = catalog.gpus.get(d.gpu)!;
      const sameNode = p.node === d.node;
      const gbps = sameNode
        ? (links.intra_node_gbytes_per_s ?? Math.min(gp.nvlink_gbytes_per_s, gd.nvlink_gbytes_per_s))
        : (links.inter_node_gbytes_per_s ?? Math.min(gp.network_gbytes_per_s, gd.network_gbytes_per_s));
      const latencyMs = sameNode ? links.intra_node_latency_ms : links.inter_node_latency_ms;
      // A TP instance moves its KV shards in parallel, one link per GPU pair.
      const lanes = Math.min(p.tp, d.tp);
      bandwidthBytesPerS[p.index * n + d.index] = gbps * 1e9 * lanes;
      latencyS[p.index * n + d.index] = latencyMs / 1000;
    }
  }
  const byId = new Map(instances.map((i) => [i.id, i]));
  for (const o of links.overrides) {
    const p = byId.get(o.from);
    const d = byId.get(o.to);
    if (!p || !d) continue; // reported by the cluster check
    bandwidthBytesPerS[p.index * n + d.index] = o.bandwidth_gbytes_per_s * 1e9;
    latencyS[p.index * n + d.index] = o.latency_ms / 1000;
  }
  return { bandwidthBytesPerS, latencyS };
}
