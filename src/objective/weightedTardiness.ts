import { HexplanError } from '../errors.ts';
import { LinearExpr } from '../solver/model.ts';
import type { PlacementObjective } from './objective.ts';

/**
 * Σ max(0, finish − arrival − deadline) over workflows with a deadline, weight 1 each (the
 * workload format has no weight field; deadline_s is a latency budget relative to arrival).
 */
export const weightedTardiness: PlacementObjective = {
  name: 'weighted-tardiness',
  description: 'total tardiness against deadline_s (s), weight 1 per workflow',
  usesQuantile: false,

  check(input, where) {
    if (input.workflows.every((w) => w.deadline_s === undefined))
      throw new HexplanError(
        `${where}: workflows: objective weighted-tardiness needs deadline_s on at least one workflow`,
      );
  },

  valueOf: (values) => values.weightedTardinessS,

  cheapBounds: ({ workflows, pathS }) => [
    {
      value: workflows.reduce(
        (sum, wf, w) => (wf.deadline_s === undefined ? sum : sum + Math.max(0, pathS[w]! - wf.deadline_s)),
        0,
      ),
      source: 'critical-path',
    },
  ],

  // A workflow without a deadline never limits the objective.
  activity: (input) => input.workflows.map((wf) => (wf.deadline_s === undefined ? 'never' : 'always')),

  horizonS: ({ workflows }, w, ub) => workflows[w]!.arrival_s + workflows[w]!.deadline_s! + ub,

  minimum: ({ workflows, minScale, standaloneS }) =>
    workflows.reduce(
      (sum, wf, w) =>
        wf.deadline_s === undefined ? sum : sum + Math.max(0, minScale[w]! * standaloneS[w]! - wf.deadline_s),
      0,
    ),

  addTerms(model, input, _quantile, { endOf }) {
    const obj = new LinearExpr();
    const tardy = input.workflows.map((wf, w) => {
      if (wf.deadline_s === undefined) return null;
      const v = model.addVar({ name: `tardy_${w}`, lb: 0 });
      const limit = wf.arrival_s + wf.deadline_s;
      for (const g of input.sinks[w]!)
        model.addConstraint(`tardy_${w}_${g}`, endOf(g).add(-1, v), '<=', limit);
      obj.add(1, v);
      return v;
    });
    model.setObjective('min', obj);
    return {
      fillStart: (values, finishS) => {
        const wfs = input.workflows;
        tardy.forEach((v, w) => {
          if (v) values[v.index] = Math.max(0, finishS[w]! - wfs[w]!.arrival_s - wfs[w]!.deadline_s!);
        });
      },
    };
  },

  maxType: () => null,
};
