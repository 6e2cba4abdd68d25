import { calibrationMarkdown, calibrationReport } from '../profile/calibrationReport.ts';
import { defineCommand } from './defineCommand.ts';

export const calibrationCommand = defineCommand({
  name: 'calibration',
  describe: 'built-in profiles vs every published measurement: fit, leave-one-TP-out, leave-one-GPU-out',
  options: {},
  run: (_o, ctx) => {
    ctx.emit('calibration-result', calibrationReport(), () =>
      calibrationMarkdown(undefined, { points: true }),
    );
  },
});
