import { z } from 'zod';
import { verifyJson, verifyText } from '../check/verify/report.ts';
import { verifyPlan } from '../check/verify/verifyPlan.ts';
import { loadPlan } from '../scenario/documents.ts';
import { scenarioFrom } from './common.ts';
import { defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';
import { scenarioFlags } from './options.ts';

export const verifyCommand = defineCommand({
  options: {
    ...scenarioFlags(),
    plan: flag(z.string().min(1), { describe: 'plan file (hexplan/plan@1)' }),
    quantile: flag(z.number().gt(0).lte(1).optional(), {
      alias: 'q',
      describe: "quantile of the required scale, in (0, 1] (default: the plan's, else 0.95)",
    }),
  },
  fieldFlags: { quantile: 'quantile' },
  examples: [['$0 verify --plan plan.json', 'check a plan for the bundled workload and cluster']],
  run: (o, ctx) => {
    const scenario = scenarioFrom(o);
    const plan = loadPlan(o.plan);
    const result = verifyPlan(scenario, plan, {
      planFile: o.plan,
      ...(o.quantile === undefined ? {} : { quantile: o.quantile }),
    });
    ctx.emit('verify-result', verifyJson(scenario, result), () => verifyText(o.plan, result));
    return result.ok ? 0 : 1;
  },
});
