import { calibrationMarkdown, calibrationReport } from '../profile/calibrationReport.ts';
import { defineCommand } from './defineCommand.ts';

export const calibrationCommand = defineCommand({
  options: {},
  run: (_o, ctx) => {
    ctx.emit('calibration-result', calibrationReport(), () =>
      calibrationMarkdown(undefined, { points: true }),
    );
  },
});
