import type { CommandModule } from 'yargs';
import { verifyJson, verifyText } from '../check/verify/report.ts';
import { verifyPlan } from '../check/verify/verifyPlan.ts';
import { HexplanError } from '../errors.ts';
import { loadPlan } from '../scenario/documents.ts';
import { emit, scenarioFrom, withScenarioOptions } from './common.ts';

interface Args {
  workload: string;
  cluster: string;
  plan: string;
  quantile?: number;
  json: boolean;
}

export const verifyCommand: CommandModule<object, Args> = {
  command: 'verify',
  builder: (y) =>
    withScenarioOptions(y)
      .option('plan', { type: 'string', demandOption: true, describe: 'plan file (hexplan/plan@1)' })
      .option('quantile', {
        alias: 'q',
        type: 'number',
        describe: "quantile of the required scale (default: the plan's, else 0.95)",
      })
      .example('$0 verify --plan plan.json', 'check a plan for the bundled workload and cluster') as never,
  handler: (argv) => {
    if (!argv.plan) throw new HexplanError('--plan PLAN is required (the plan file to check)');
    if (argv.quantile !== undefined && !(argv.quantile > 0 && argv.quantile <= 1))
      throw new HexplanError(`--quantile: ${argv.quantile} is outside (0, 1]`);
    const scenario = scenarioFrom(argv);
    const plan = loadPlan(argv.plan);
    const result = verifyPlan(scenario, plan, {
      planFile: argv.plan,
      ...(argv.quantile === undefined ? {} : { quantile: argv.quantile }),
    });
    emit(argv.json, verifyJson(scenario, result), () => verifyText(argv.plan, result));
    if (!result.ok) process.exitCode = 1;
  },
};
