import type { CompiledPlan, Policy } from '../policy/policy.ts';
import { getPolicy } from '../policy/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import type { WorkflowResult } from '../schema/results.ts';
import { type CompiledWorkload, compiledWorkload } from '../workload/compiled.ts';
import { runEngine } from './engine.ts';
import { ExactExecution } from './exactExecution.ts';
import { summarize } from './metrics.ts';
import { compilePlan } from './planCompile.ts';
import { RealisticExecution } from './realisticExecution.ts';
import { callRecords } from './records.ts';
import type { EngineRun, SimMode, SimResult } from './types.ts';

/** Realistic mode: the most prompt tokens one batched prefill holds unless told otherwise. */
export const DEFAULT_PREFILL_TOKEN_BUDGET = 8192;

export interface SimulateOptions {
  mode?: SimMode;
  policyOptions?: Record<string, unknown>;
  /** Offline plan for the `replay` policy. */
  plan?: Plan;
  /** The plan's file, named in its error messages (default `plan`). */
  planFile?: string;
  /** Realistic mode: most prompt tokens one batched prefill may hold (default 8192). */
  prefillTokenBudget?: number;
  /** Scale at which goodput is measured (default 2). */
  goodputScale?: number;
  /** Called now and then during the run with the fraction of workflows arrived so far. */
  onProgress?: (fraction: number) => void;
}

/**
 * Runs one online policy over a scenario. Deterministic: the same scenario, policy and
 * options give the same result, bit for bit.
 */
export function simulate(
  scenario: Scenario,
  policy: string | Policy,
  options: SimulateOptions = {},
): SimResult {
  const pol = typeof policy === 'string' ? getPolicy(policy) : policy;
  const mode = options.mode ?? 'exact';
  const compiled = compiledWorkload(scenario.workload);
  const plan: CompiledPlan | undefined = options.plan
    ? compilePlan(options.plan, scenario, compiled, options.planFile)
    : undefined;
  const prefillTokenBudget = options.prefillTokenBudget ?? DEFAULT_PREFILL_TOKEN_BUDGET;
  const context = {
    options: options.policyOptions ?? {},
    mode,
    prefillTokenBudget,
    ...(plan ? { plan } : {}),
  };
  const run: EngineRun = runEngine(
    scenario.cost,
    compiled,
    (view) => pol.create(view, context),
    mode === 'exact'
      ? (core) => new ExactExecution(core)
      : (core) => new RealisticExecution(core, { prefillTokenBudget }),
    options.onProgress,
  );
  return buildResult(scenario, pol.name, mode, compiled, run, options.goodputScale ?? 2);
}

function buildResult(
  scenario: Scenario,
  policy: string,
  mode: SimMode,
  compiled: CompiledWorkload,
  run: EngineRun,
  goodputScale: number,
): SimResult {
  const W = compiled.workflows;
  const scales = new Float64Array(W);
  const workflows: WorkflowResult[] = new Array(W);
  for (let w = 0; w < W; w++) {
    const arrival = compiled.arrivalS[w]!;
    const standalone = scenario.standaloneS[w]!;
    const finish = run.finishS[w]!;
    scales[w] = (finish - arrival) / standalone;
    workflows[w] = {
      workflow: scenario.workload.workflows[w]!.id,
      arrival_s: arrival,
      finish_s: finish,
      standalone_s: standalone,
      scale: scales[w]!,
    };
  }
  const result = {
    policy,
    mode,
    scales,
    finishS: run.finishS,
    workflows,
    trace: run.trace,
    usage: run.usage,
    instanceIds: scenario.cost.instances.map((i) => i.id),
    events: run.events,
  } as Omit<SimResult, 'metrics' | 'calls' | 'workload' | 'compiled'> as SimResult;
  hidden(result, 'workload', scenario.workload);
  hidden(result, 'compiled', compiled);
  let calls: SimResult['calls'] | null = null;
  Object.defineProperty(result, 'calls', {
    enumerable: false,
    get: () => {
      calls ??= callRecords(result);
      return calls;
    },
  });
  result.metrics = summarize(result, scenario, { goodputScale });
  return result;
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false });
}
