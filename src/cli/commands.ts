import type { CommandModule } from 'yargs';
import { compareCommand } from './compare.ts';
import { exportLpCommand } from './export-lp.ts';
import { gapCommand } from './gap.ts';
import { genCommand } from './gen.ts';
import { importCommand } from './import.ts';
import { planCommand } from './plan.ts';
import { calibrationCommand } from './profileCalibration.ts';
import { fitProfileCommand } from './profileFit.ts';
import { provisionCommand } from './provision.ts';
import { simulateCommand } from './simulate.ts';
import { validateCommand } from './validate.ts';
import { verifyCommand } from './verify.ts';

/** The only list of commands: adding one is a file in src/cli/ and a line here. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type
export const commands: CommandModule<any, any>[] = [
  validateCommand,
  genCommand,
  fitProfileCommand,
  calibrationCommand,
  importCommand,
  simulateCommand,
  compareCommand,
  verifyCommand,
  gapCommand,
  provisionCommand,
  planCommand,
  exportLpCommand,
];
