import { allPolicies, getPolicy } from '../policy/registry.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { Plan } from '../schema/plan.ts';
import { type SimulateOptions, simulate } from '../sim/simulate.ts';
import type { SimMode } from '../sim/types.ts';
import { attainmentCurve } from '../slo/attainment.ts';

export interface PolicySummary {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  makespan_s: number;
  attainment: Array<[number, number]>;
  calls: number;
  workflows: number;
}

/** HexAGenT's required-scale reduction versus one baseline: (k_base − k_hex) / k_base. */
export interface Reduction {
  baseline: string;
  p95: number;
  p99: number;
}

export interface Comparison {
  workload: string;
  cluster: string;
  mode: SimMode;
  policies: PolicySummary[];
  /**
   * Null when hexagent is not among the compared policies. The averages leave out strawman
   * baselines (Policy.strawman, e.g. round-robin fcfs) unless `includeStrawmen`; `set_aside`
   * names the ones left out.
   */
  hexagent_reduction: {
    versus: Reduction[];
    average_p95: number;
    average_p99: number;
    set_aside: string[];
  } | null;
}

export interface CompareOptions {
  mode?: SimMode;
  /** Per-policy tunables, keyed by policy name. */
  policyOptions?: Record<string, Record<string, unknown>>;
  plan?: Plan;
  prefillTokenBudget?: number;
  /** Count strawman baselines in the averaged reduction too (default false). */
  includeStrawmen?: boolean;
  /** Called after each policy's run, for progress reporting. */
  onPolicy?: (name: string, index: number, total: number) => void;
}

/** The policies `compare` runs by default: the online ones, and the plan-following ones only when a plan is given. */
export function defaultComparePolicies(hasPlan: boolean): string[] {
  return allPolicies()
    .filter((p) => !p.needsPlan || hasPlan)
    .map((p) => p.name);
}

/**
 * Every policy side by side on one scenario (DESIGN.md `compare`), and the statistic the
 * HexAGenT paper reports: the relative reduction of the scale needed for 95 % and 99 %
 * attainment versus each baseline, and its average over the baselines.
 */
export function compare(
  scenario: Scenario,
  policies: readonly string[],
  options: CompareOptions = {},
): Comparison {
  const mode = options.mode ?? 'exact';
  const summaries = policies.map((name, i): PolicySummary => {
    const simOptions: SimulateOptions = {
      mode,
      policyOptions: options.policyOptions?.[name] ?? {},
      ...(getPolicy(name).needsPlan && options.plan ? { plan: options.plan } : {}),
      ...(options.prefillTokenBudget !== undefined ? { prefillTokenBudget: options.prefillTokenBudget } : {}),
    };
    const r = simulate(scenario, name, simOptions);
    options.onPolicy?.(name, i, policies.length);
    const m = r.metrics;
    return {
      name,
      p50: m.p50,
      p95: m.p95,
      p99: m.p99,
      mean: m.mean,
      max: m.max,
      makespan_s: m.makespan_s,
      attainment: attainmentCurve(r.scales),
      calls: m.calls,
      workflows: m.workflows,
    };
  });
  const hex = summaries.find((s) => s.name === 'hexagent');
  let hexagentReduction: Comparison['hexagent_reduction'] = null;
  if (hex) {
    const versus = summaries
      .filter((s) => s.name !== 'hexagent' && !getPolicy(s.name).needsPlan)
      .map((s) => ({ baseline: s.name, p95: reduction(s.p95, hex.p95), p99: reduction(s.p99, hex.p99) }));
    const avg = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    const setAside = options.includeStrawmen
      ? []
      : versus.filter((v) => getPolicy(v.baseline).strawman).map((v) => v.baseline);
    const counted = versus.filter((v) => !setAside.includes(v.baseline));
    hexagentReduction = {
      versus,
      average_p95: avg(counted.map((v) => v.p95)),
      average_p99: avg(counted.map((v) => v.p99)),
      set_aside: setAside,
    };
  }
  return {
    workload: scenario.workloadFile,
    cluster: scenario.clusterFile,
    mode,
    policies: summaries,
    hexagent_reduction: hexagentReduction,
  };
}

function reduction(baseline: number, hexagent: number): number {
  return (baseline - hexagent) / baseline;
}
