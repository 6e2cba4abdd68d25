import type { CommandModule } from 'yargs';
import { calibrationMarkdown, calibrationReport } from '../profile/calibrationReport.ts';
import { emit } from './common.ts';

export const calibrationCommand: CommandModule<object, { json: boolean }> = {
  command: 'calibration',
  handler: (argv) => {
    emit(argv.json, calibrationReport(), () => calibrationMarkdown(undefined, { points: true }));
  },
};
