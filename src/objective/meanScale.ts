import { LinearExpr } from '../solver/model.ts';
import type { PlacementObjective } from './objective.ts';

/** The mean SLO scale over all workflows. */
export const meanScale: PlacementObjective = {
  name: 'mean-scale',
  description: 'mean SLO scale over the workflows',
  usesQuantile: false,

  check() {},

  valueOf: (values) => values.meanScale,

  cheapBounds: ({ workflows, standaloneS, pathS }) => [
    { value: 1, source: 'standalone' },
    {
      value: workflows.reduce((sum, _, w) => sum + pathS[w]! / standaloneS[w]!, 0) / workflows.length,
      source: 'critical-path',
    },
  ],

  activity: (input) => input.workflows.map(() => 'always'),

  // Σ scales ≤ W·ub with every other scale at least its minimum.
  horizonS: ({ workflows, standaloneS, minScale }, w, ub, totalMinScale) =>
    workflows[w]!.arrival_s + standaloneS[w]! * (workflows.length * ub - (totalMinScale - minScale[w]!)),

  minimum: ({ minScale, workflows }) => Array.from(minScale).reduce((a, b) => a + b, 0) / workflows.length,

  addTerms(model, input, _quantile, { endOf, horizonS }) {
    const { workflows, standaloneS: s, minScale, sinks } = input;
    const W = workflows.length;
    const obj = new LinearExpr();
    const finish = workflows.map((wf, w) => {
      const earliest = wf.arrival_s + minScale[w]! * s[w]!;
      const v = model.addVar({ name: `finish_${w}`, lb: earliest, ub: Math.max(horizonS[w]!, earliest) });
      for (const g of sinks[w]!) model.addConstraint(`fin_${w}_${g}`, endOf(g).add(-1, v), '<=', 0);
      obj.add(1 / (s[w]! * W), v).addConstant(-wf.arrival_s / (s[w]! * W));
      return v;
    });
    model.setObjective('min', obj);
    return {
      fillStart: (values, finishS) => {
        finish.forEach((v, w) => {
          values[v.index] = finishS[w]!;
        });
      },
    };
  },

  maxType: () => null,
};
