import { LinearExpr } from '../solver/model.ts';
import { looseUpper, type PlacementObjective } from './objective.ts';

/** The latest workflow finish, in seconds on the workload's clock. */
export const makespan: PlacementObjective = {
  name: 'makespan',
  description: 'latest workflow finish (s)',
  usesQuantile: false,

  check() {},

  valueOf: (values) => values.makespanS,

  cheapBounds: (input) => [
    {
      value: Math.max(...input.workflows.map((wf, w) => wf.arrival_s + input.pathS[w]!)),
      source: 'critical-path',
    },
    ...input.makespanCapacity(),
  ],

  activity: (input) => input.workflows.map(() => 'always'),

  horizonS: (_input, _w, ub) => ub,

  minimum: (input) =>
    Math.max(...input.workflows.map((wf, w) => wf.arrival_s + input.minScale[w]! * input.standaloneS[w]!)),

  addTerms(model, input, quantile, { endOf, ub }) {
    const lb = makespan.minimum(input, quantile);
    const cmax = model.addVar({ name: 'makespan', lb, ub: Math.max(lb, looseUpper(ub)) });
    model.setObjective('min', LinearExpr.of([1, cmax]));
    for (const sinks of input.sinks)
      for (const g of sinks) model.addConstraint(`cmax_${g}`, endOf(g).add(-1, cmax), '<=', 0);
    return {
      fillStart: (values, _f, value) => {
        values[cmax.index] = value;
      },
    };
  },

  maxType: () => ({
    dueS: (_arrivalS, _standaloneS, best) => best,
    floorIfSomeEndsAfter: (finishS) => finishS,
  }),
};
