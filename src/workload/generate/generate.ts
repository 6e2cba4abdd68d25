import { optionError } from '../../errors.ts';
import { loadCatalog } from '../../profile/catalog.ts';
import type { CostModel } from '../../profile/costModel.ts';
import { LIMITS } from '../../schema/limits.ts';
import { WORKLOAD_SCHEMA, type Workflow, type Workload } from '../../schema/workload.ts';
import { Rng } from '../../util/random.ts';
import { standaloneS } from '../standalone.ts';
import { type CapacityEstimate, estimateCapacity, rateForLoad } from './capacity.ts';
import {
  BUILDERS,
  type FamilyChoice,
  familyOf,
  MAX_CONTEXT_TOKENS,
  MIXED_WEIGHTS,
  OBSERVATION_TOKENS,
  TOOL_DELAY,
} from './families.ts';
import { loadTokenLengths, type TokenLengths } from './tokenLengths.ts';

export const DEFAULT_MODEL = 'Qwen2.5-32B';

export interface GenerateOptions {
  family: FamilyChoice;
  workflows: number;
  seed: number;
  model?: string;
  /** Poisson arrival rate in workflows/s; exclusive with `load`. Default 1 when neither is given. */
  ratePerS?: number;
  /** Target utilization of the cluster's bottleneck stage (needs `cost`). */
  load?: number;
  /** The cluster's cost model: needed for `load` and `deadlineFactor`. */
  cost?: CostModel;
  /** Name recorded in meta for the cluster (e.g. its `name` field), never an absolute path. */
  clusterName?: string;
  /** deadline_s = factor × standalone time on the cluster (a latency budget relative to arrival). */
  deadlineFactor?: number;
  maxFanout?: number;
  maxDepth?: number;
  lengths?: TokenLengths;
  name?: string;
}

export interface GeneratedWorkload {
  workload: Workload;
  ratePerS: number;
  capacity: CapacityEstimate | null;
  calls: number;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * Generates a seeded workload. Workflow i's shape depends only on (seed, family, i), drawn from
 * its own PRNG stream, and arrivals from another stream, so the same seed gives the same file
 * and changing the rate moves arrivals without changing shapes.
 */
export function generateWorkload(options: GenerateOptions): GeneratedWorkload {
  const n = options.workflows;
  if (!Number.isInteger(n) || n < 1) throw optionError('workflows', `must be a positive integer, got ${n}`);
  if (!Number.isFinite(options.seed)) throw optionError('seed', `must be a number, got ${options.seed}`);
  if (options.ratePerS !== undefined && options.load !== undefined)
    throw optionError('ratePerS', 'and load: give one of them, not both');
  if (options.ratePerS !== undefined && !(options.ratePerS > 0))
    throw optionError('ratePerS', `must be > 0 workflows/s, got ${options.ratePerS}`);
  if ((options.load !== undefined || options.deadlineFactor !== undefined) && !options.cost) {
    throw optionError(options.load !== undefined ? 'load' : 'deadlineFactor', 'needs a cluster (cost)');
  }
  if (options.deadlineFactor !== undefined && !(options.deadlineFactor >= 1))
    throw optionError(
      'deadlineFactor',
      `must be >= 1 (a budget below standalone is unmeetable), got ${options.deadlineFactor}`,
    );
  const model = options.model ?? DEFAULT_MODEL;
  const catalog = loadCatalog();
  if (!catalog.llms.has(model)) {
    throw optionError('model', `unknown model "${model}" (known: ${[...catalog.llms.keys()].join(', ')})`);
  }
  const lengths = options.lengths ?? loadTokenLengths();
  const shapeOptions = { lengths, maxFanout: options.maxFanout ?? 6, maxDepth: options.maxDepth ?? 6 };
  const root = new Rng(options.seed);
  const mixRng = root.fork('family');
  const width = String(n - 1).length;
  const workflows: Workflow[] = [];
  for (let i = 0; i < n; i++) {
    const family = familyOf(options.family, mixRng);
    const calls = BUILDERS[family](root.fork(`workflow-${i}`), shapeOptions);
    workflows.push({ id: `wf-${String(i).padStart(width, '0')}`, arrival_s: 0, model, family, calls });
  }

  const capacity = options.cost ? estimateCapacity(workflows, options.cost) : null;
  const ratePerS =
    options.load !== undefined ? rateForLoad(capacity!, options.load) : (options.ratePerS ?? 1);
  // Poisson arrivals: exponential gaps, rounded to the millisecond (monotone after rounding).
  const arrivals = root.fork('arrivals');
  let t = 0;
  for (const wf of workflows) {
    t += arrivals.exponential(ratePerS);
    wf.arrival_s = round(t, 3);
  }
  // A tiny rate (1e-320 workflows/s) would put arrivals at Infinity, written as null.
  if (!(t <= LIMITS.maxTimeS))
    throw optionError(
      options.load !== undefined ? 'load' : 'ratePerS',
      `gives ${ratePerS} workflows/s, which puts the last of ${n} arrivals at ${t} s, above the limit ${LIMITS.maxTimeS} s`,
    );
  if (options.deadlineFactor !== undefined) {
    for (const wf of workflows)
      wf.deadline_s = round(options.deadlineFactor * standaloneS(wf, options.cost!), 3);
  }
  const calls = workflows.reduce((s, wf) => s + wf.calls.length, 0);
  const offered = capacity ? ratePerS * capacity.utilizationPerRate : null;
  const workload: Workload = {
    schema: WORKLOAD_SCHEMA,
    name: options.name ?? `${options.family}-${n}-seed${options.seed}`,
    meta: {
      generator: 'hexplan gen',
      family: options.family,
      seed: options.seed,
      workflows: n,
      calls,
      model,
      arrivals: 'poisson',
      rate_per_s: round(ratePerS, 6),
      load: offered === null ? null : round(offered, 4),
      cluster: options.cost ? (options.clusterName ?? options.cost.cluster.name ?? 'cluster') : null,
      capacity: capacity
        ? {
            bottleneck: capacity.bottleneck,
            prefill_calls_per_s: round(capacity.prefillCallsPerS, 4),
            decode_calls_per_s: round(capacity.decodeCallsPerS, 4),
            calls_per_workflow: round(capacity.callsPerWorkflow, 4),
            formula: 'load = rate × calls_per_workflow / min(prefill_calls_per_s, decode_calls_per_s)',
          }
        : null,
      deadline_factor: options.deadlineFactor ?? null,
      deadline_semantics: 'deadline_s is a latency budget relative to arrival_s (factor × standalone time)',
      mixed_weights: options.family === 'mixed' ? MIXED_WEIGHTS : null,
      max_fanout: shapeOptions.maxFanout,
      max_depth: shapeOptions.maxDepth,
      token_lengths: {
        source: 'models/token-lengths.json',
        sampler: { input: lengths.input_tokens.sampler, output: lengths.output_tokens.sampler },
        clamp: { input: lengths.input_tokens.clamp, output: lengths.output_tokens.clamp },
        max_context_tokens: MAX_CONTEXT_TOKENS,
        attribution: lengths.source.attribution,
      },
      tool_delay_s: { distribution: 'lognormal', ...toSnake(TOOL_DELAY) },
      observation_tokens: { distribution: 'lognormal', ...toSnake(OBSERVATION_TOKENS) },
    },
    workflows,
  };
  return { workload, ratePerS, capacity, calls };
}

function toSnake(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}

/**
 * A workload as JSON text: pretty-printed when small, one workflow per line when large (a
 * 50,000-call file stays a few MB and still diffs line by line). Deterministic either way.
 */
export function workloadJsonText(workload: Workload, prettyUpTo = 200): string {
  if (workload.workflows.length <= prettyUpTo) return `${JSON.stringify(workload, null, 2)}\n`;
  const { workflows, ...head } = workload;
  const headText = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const lines = workflows.map((wf) => `    ${JSON.stringify(wf)}`);
  return `${headText},\n  "workflows": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
