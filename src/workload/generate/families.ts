import type { Call } from '../../schema/workload.ts';
import type { Rng } from '../../util/random.ts';
import { drawLength, type TokenLengths } from './tokenLengths.ts';

export const FAMILIES = ['react', 'mapreduce', 'plan-execute', 'tree', 'chat'] as const;
export type Family = (typeof FAMILIES)[number];
export const FAMILY_CHOICES = [...FAMILIES, 'mixed'] as const;
export type FamilyChoice = (typeof FAMILY_CHOICES)[number];

/** How `mixed` draws each workflow's family (an assumption: chat-heavy, like a general assistant). */
export const MIXED_WEIGHTS: Record<Family, number> = {
  chat: 0.3,
  react: 0.25,
  mapreduce: 0.15,
  'plan-execute': 0.15,
  tree: 0.15,
};

/**
 * Stated distributions that are NOT from the trace (it has no tool calls or DAGs):
 * - tool delay: lognormal with median 1 s and log-sd 1, clamped to [0.05, 30] s, in ms steps;
 * - tool observation tokens appended to an agent's context: lognormal, median 200, log-sd 0.8,
 *   clamped to [16, 2048];
 * - an accumulated prompt (history + observations) is capped at MAX_CONTEXT_TOKENS, like an
 *   agent framework truncating its history, so a call's KV stays far below any decode instance.
 */
export const TOOL_DELAY = { medianS: 1, logSd: 1, minS: 0.05, maxS: 30 } as const;
export const OBSERVATION_TOKENS = { median: 200, logSd: 0.8, min: 16, max: 2048 } as const;
export const MAX_CONTEXT_TOKENS = 12288;

export interface ShapeOptions {
  lengths: TokenLengths;
  /** Largest parallel fan-out (mapreduce maps, tree branching); keeps small instances small. */
  maxFanout: number;
  /** Longest react chain (LLM steps). */
  maxDepth: number;
}

/** Draws calls for one workflow; the caller owns ids of workflows, arrivals and deadlines. */
type Builder = (rng: Rng, o: ShapeOptions) => Call[];

class Draw {
  constructor(
    readonly rng: Rng,
    readonly o: ShapeOptions,
  ) {}
  prompt(scale = 1): number {
    return drawLength(this.rng, this.o.lengths.input_tokens, scale);
  }
  answer(scale = 1): number {
    return drawLength(this.rng, this.o.lengths.output_tokens, scale);
  }
  toolS(): number {
    const x = this.rng.lognormal(Math.log(TOOL_DELAY.medianS), TOOL_DELAY.logSd);
    return Math.round(1000 * Math.min(TOOL_DELAY.maxS, Math.max(TOOL_DELAY.minS, x))) / 1000;
  }
  observation(): number {
    const x = Math.round(this.rng.lognormal(Math.log(OBSERVATION_TOKENS.median), OBSERVATION_TOKENS.logSd));
    return Math.min(OBSERVATION_TOKENS.max, Math.max(OBSERVATION_TOKENS.min, x));
  }
}

const ctx = (tokens: number) => Math.min(MAX_CONTEXT_TOKENS, Math.max(1, Math.round(tokens)));

function call(id: string, stage: string, input: number, output: number, deps: string[], toolS = 0): Call {
  return { id, input_tokens: ctx(input), output_tokens: output, deps, tool_s: toolS, stage };
}

/** Single request: a trace-like prompt and answer. */
const chat: Builder = (rng, o) => {
  const d = new Draw(rng, o);
  return [call('chat', 'chat', d.prompt(), d.answer(), [])];
};

/**
 * ReAct: reason → (tool → act)* → answer, 2..maxDepth LLM steps in a chain. Each step's
 * prompt is the previous prompt plus its output plus the tool's observation (history grows);
 * intermediate steps emit short actions (half a trace answer), the last one a full answer.
 */
const react: Builder = (rng, o) => {
  const d = new Draw(rng, o);
  const steps = rng.int(2, Math.max(2, o.maxDepth));
  const calls: Call[] = [];
  let input = d.prompt();
  for (let k = 0; k < steps; k++) {
    const last = k === steps - 1;
    const output = last ? d.answer() : d.answer(0.5);
    const stage = k === 0 ? 'reason' : last ? 'answer' : 'act';
    calls.push(
      call(`step-${k}`, stage, input, output, k === 0 ? [] : [`step-${k - 1}`], k === 0 ? 0 : d.toolS()),
    );
    input = ctx(input + output + d.observation());
  }
  return calls;
};

/** Plan, a parallel fan-out of 2..maxFanout maps (each after a retrieval tool), one reduce. */
const mapreduce: Builder = (rng, o) => {
  const d = new Draw(rng, o);
  const n = rng.int(2, Math.max(2, o.maxFanout));
  const planIn = d.prompt();
  const planOut = d.answer(0.5);
  const calls = [call('plan', 'plan', planIn, planOut, [])];
  let gathered = 0;
  for (let i = 0; i < n; i++) {
    const out = d.answer();
    gathered += out;
    calls.push(call(`map-${i}`, 'map', planOut + d.prompt(), out, ['plan'], d.toolS()));
  }
  calls.push(
    call(
      'reduce',
      'reduce',
      256 + gathered,
      d.answer(),
      calls.slice(1).map((c) => c.id),
    ),
  );
  return calls;
};

/**
 * Planner, 2..4 executors (each after the plan, some also after an earlier executor), a
 * verifier over the executors nothing else waits for; with probability 0.3 the verifier
 * rejects, adding a retry executor and a second verification.
 */
const planExecute: Builder = (rng, o) => {
  const d = new Draw(rng, o);
  const planIn = d.prompt();
  const planOut = d.answer(0.5);
  const calls = [call('plan', 'plan', planIn, planOut, [])];
  const k = rng.int(2, Math.min(4, Math.max(2, o.maxFanout)));
  const outs = new Map<string, number>();
  const hasChild = new Set<string>();
  for (let i = 0; i < k; i++) {
    const deps = ['plan'];
    let input = planOut + d.prompt(0.5);
    if (i > 0 && rng.bernoulli(0.5)) {
      const prev = `exec-${rng.int(0, i - 1)}`;
      deps.push(prev);
      hasChild.add(prev);
      input += outs.get(prev)!;
    }
    const out = d.answer();
    outs.set(`exec-${i}`, out);
    calls.push(call(`exec-${i}`, 'execute', input, out, deps, d.toolS()));
  }
  const sinks = [...outs.keys()].filter((id) => !hasChild.has(id));
  const verifyIn = planOut + sinks.reduce((s, id) => s + outs.get(id)!, 0);
  calls.push(call('verify', 'verify', verifyIn, d.answer(0.25), sinks));
  if (rng.bernoulli(0.3)) {
    const retryOut = d.answer();
    calls.push(call('retry', 'retry', verifyIn + d.observation(), retryOut, ['verify'], d.toolS()));
    calls.push(call('verify-2', 'verify', planOut + retryOut, d.answer(0.25), ['retry']));
  }
  return calls;
};

/**
 * Tree of thoughts: a root proposes, 2..3 levels of `b` thoughts (b in 2..maxFanout, at most
 * 3) where only one thought per level (the "best", drawn at random) expands; a final select
 * reads the last level.
 */
const tree: Builder = (rng, o) => {
  const d = new Draw(rng, o);
  const b = rng.int(2, Math.min(3, Math.max(2, o.maxFanout)));
  const levels = rng.int(2, 3);
  const rootIn = d.prompt();
  const rootOut = d.answer(0.5);
  const calls = [call('root', 'propose', rootIn, rootOut, [])];
  let parent = { id: 'root', context: rootIn + rootOut };
  let level: Call[] = [];
  for (let l = 1; l <= levels; l++) {
    level = [];
    for (let j = 0; j < b; j++) {
      level.push(call(`t${l}-${j}`, 'thought', parent.context, d.answer(0.5), [parent.id]));
    }
    calls.push(...level);
    const best = level[rng.int(0, b - 1)]!;
    parent = { id: best.id, context: best.input_tokens + best.output_tokens };
  }
  const read = level.reduce((s, c) => s + c.output_tokens, rootIn);
  calls.push(
    call(
      'select',
      'select',
      read,
      d.answer(),
      level.map((c) => c.id),
    ),
  );
  return calls;
};

export const BUILDERS: Record<Family, Builder> = {
  chat,
  react,
  mapreduce,
  'plan-execute': planExecute,
  tree,
};

/** The family of workflow i: itself, or for `mixed` a draw from MIXED_WEIGHTS. */
export function familyOf(choice: FamilyChoice, rng: Rng): Family {
  if (choice !== 'mixed') return choice;
  return rng.weighted(
    FAMILIES,
    FAMILIES.map((f) => MIXED_WEIGHTS[f]),
  );
}
