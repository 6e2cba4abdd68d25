import { requiredRank } from '../slo/quantile.ts';
import { LinearExpr, type Var } from '../solver/model.ts';
import { looseUpper, type PlacementObjective } from './objective.ts';

/**
 * The required SLO scale at quantile q: the least k with ⌈q·W⌉ workflows at scale ≤ k. Its
 * model has one column k (the reported number itself), a binary met_w per workflow when
 * q < 1, and `finish_w − arrival_w ≤ k·s_w + M(1 − met_w)` with Σ met_w ≥ ⌈q·W⌉.
 */
export const quantileScale: PlacementObjective = {
  name: 'quantile-scale',
  description: 'required SLO scale at quantile q (the headline metric)',
  usesQuantile: true,

  check() {},

  valueOf: (values) => values.requiredScale,

  cheapBounds(input, quantile) {
    const { workflows, standaloneS, pathS } = input;
    const lb = Float64Array.from(workflows, (_, w) => pathS[w]! / standaloneS[w]!).sort();
    return [
      { value: 1, source: 'standalone' },
      { value: lb[requiredRank(workflows.length, quantile) - 1]!, source: 'critical-path' },
      ...input.quantileCapacity(quantile),
    ];
  },

  activity(input, quantile) {
    const W = input.workflows.length;
    const chosen = requiredRank(W, quantile) < W;
    return input.workflows.map(() => (chosen ? 'chosen' : 'always'));
  },

  horizonS: (input, w, ub) => input.workflows[w]!.arrival_s + ub * input.standaloneS[w]!,

  minimum(input, quantile) {
    const sorted = Float64Array.from(input.minScale).sort();
    return Math.max(1, sorted[requiredRank(input.workflows.length, quantile) - 1]!);
  },

  addTerms(model, input, quantile, { endOf, horizonS, ub, active, homogeneous }) {
    const { workflows, standaloneS: s, minScale, sinks } = input;
    const W = workflows.length;
    const lb = quantileScale.minimum(input, quantile);
    const rank = requiredRank(W, quantile);
    const k = model.addVar({ name: 'k', lb, ub: Math.max(lb, looseUpper(ub)) });
    model.setObjective('min', LinearExpr.of([1, k]));
    workflows.forEach((wf, w) => {
      const met = active[w];
      for (const g of sinks[w]!) {
        if (!met) model.addConstraint(`scale_${w}_${g}`, endOf(g).add(-s[w]!, k), '<=', wf.arrival_s);
        else if (homogeneous) {
          model.addConstraint(`scale_${w}_${g}`, endOf(g).add(-s[w]!, k).add(-wf.arrival_s, met), '<=', 0);
        } else {
          const M = Math.max(0, horizonS[w]! - wf.arrival_s - s[w]! * lb);
          model.addConstraint(`scale_${w}_${g}`, endOf(g).add(-s[w]!, k).add(M, met), '<=', wf.arrival_s + M);
        }
      }
      // A met workflow's scale is at least its minimum, so k is too (strengthens the LP).
      if (met) model.addConstraint(`kmin_${w}`, LinearExpr.of([1, k], [-minScale[w]!, met]), '>=', 0);
    });
    const mets = active.filter((v): v is Var => v !== null);
    if (mets.length > 0) {
      model.addConstraint(
        'quantile',
        LinearExpr.of(...mets.map((m): [number, Var] => [1, m])),
        '>=',
        rank - (W - mets.length),
      );
    }
    return {
      fillStart: (values, _f, value) => {
        values[k.index] = value;
      },
    };
  },

  // Max-type only when the quantile is the largest scale (q·W rounds up to W).
  maxType: (workflows, quantile) =>
    requiredRank(workflows, quantile) === workflows
      ? {
          dueS: (arrivalS, standaloneS, best) => arrivalS + best * standaloneS,
          floorIfSomeEndsAfter(finishS, candidate, flows, standaloneS) {
            let m = Number.POSITIVE_INFINITY;
            flows.forEach((wf, w) => {
              if (candidate[w]) m = Math.min(m, (finishS - wf.arrival_s) / standaloneS[w]!);
            });
            return Number.isFinite(m) ? m : 0;
          },
        }
      : null,
};
