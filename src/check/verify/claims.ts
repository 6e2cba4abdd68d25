import type { Plan } from '../../schema/plan.ts';
import type { SolveStatus } from '../../solver/result.ts';
import { approxEqual, definitelyLess, tolerance } from './tolerance.ts';

const SOLVE_STATUSES = [
  'optimal',
  'time_limit',
  'infeasible',
  'unbounded',
  'error',
] as const satisfies readonly SolveStatus[];
/**
 * A solve's statuses, `feasible` (a schedule a simulation ran: no claim beyond itself) and
 * `interrupted` (a plan saved when a signal stopped its run).
 */
const STATUSES = [...SOLVE_STATUSES, 'feasible', 'interrupted'] as const;

/**
 * The gap within which a plan without `reported.gap_tolerance` may call itself optimal: the
 * placement solver's default relative MIP gap.
 */
export const DEFAULT_GAP_TOLERANCE = 1e-6;

/**
 * Whether an objective `ub` and a lower bound `lb` meet: ub − lb within the verifier's time
 * tolerance plus `gapTolerance` relative, plus one more 1e-6 relative for the replay that
 * re-scores a solver's plan (src/placement/solve.ts REPLAY_TOL).
 */
export function boundsMeet(ub: number, lb: number, gapTolerance: number): boolean {
  const scale = Math.max(Math.abs(ub), Math.abs(lb));
  return ub - lb <= tolerance(ub, lb) + (gapTolerance + 1e-6) * scale + 1e-6;
}

/**
 * Checks every claim in a plan's `reported` block against the plan's own objective value
 * (recomputed from its times at the plan's quantile). Each violation names its field.
 */
export function claimViolations(plan: Plan, objectiveName: string, ownValue: number): string[] {
  const r = plan.reported;
  if (!r) return [];
  const out: string[] = [];
  if (!(STATUSES as readonly string[]).includes(r.status)) {
    out.push(
      `reported.status: ${JSON.stringify(r.status)} is not a solve status (one of: ${STATUSES.join(', ')})`,
    );
  } else if (r.status === 'infeasible' || r.status === 'unbounded') {
    out.push(`reported.status: "${r.status}" for a plan that schedules its calls: a schedule disproves it`);
  }
  if (r.objective !== null && !approxEqual(r.objective, ownValue)) {
    out.push(
      `reported.objective: ${r.objective} (${objectiveName}) differs from the recomputed ` +
        `${ownValue} beyond tolerance (1e-6 + 1e-9·|value|)`,
    );
  }
  // A lower bound above the plan's own value is no bound: the plan itself beats it.
  if (r.lower_bound !== null && definitelyLess(ownValue, r.lower_bound)) {
    out.push(
      `reported.lower_bound: ${r.lower_bound} exceeds the plan's own ${objectiveName} ${ownValue}: ` +
        'a schedule that beats a bound proves the bound wrong',
    );
  }
  if (r.status === 'optimal') {
    const gapTolerance = r.gap_tolerance ?? DEFAULT_GAP_TOLERANCE;
    if (r.lower_bound === null) {
      out.push('reported.status: "optimal" without a lower_bound: nothing proves it');
    } else if (!boundsMeet(ownValue, r.lower_bound, gapTolerance)) {
      out.push(
        `reported.status: "optimal", but the lower bound ${r.lower_bound} does not meet the plan's own ` +
          `${objectiveName} ${ownValue} within the gap tolerance ${gapTolerance}`,
      );
    }
  }
  return out;
}
