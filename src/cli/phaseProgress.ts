import type { CommandContext } from './defineCommand.ts';
import type { Progress } from './progress.ts';

/** How far one phase of a long command is (gap: src/analysis/gapProgress.ts; headline, report: one phase). */
export interface PhaseStep {
  phase: string;
  done: number;
  total: number;
}

/**
 * One bar (or, off a terminal, periodic lines) per phase: a new phase ends the last one's bar.
 * Status messages become the bar's note while a bar is drawn, since a line written under a
 * bar would tear it; otherwise they are printed as lines.
 */
export function phaseProgress(ctx: CommandContext, prefix: string) {
  let current: { phase: string; done: number; total: number; bar: Progress } | null = null;
  const end = () => {
    current?.bar.stop();
    current = null;
  };
  return {
    step(s: PhaseStep): void {
      if (current?.phase !== s.phase) {
        end();
        current = {
          phase: s.phase,
          done: 0,
          total: s.total,
          bar: ctx.progress(`${prefix}: ${s.phase}`, s.total),
        };
      } else if (current.total !== s.total) {
        current.total = s.total;
        current.bar.setTotal(s.total);
      }
      current.done = s.done;
      current.bar.update(s.done);
      if (s.done >= s.total) end();
    },
    message(text: string): void {
      if (current && ctx.progressStyle === 'bar') current.bar.update(current.done, text);
      else ctx.info(`${prefix}: ${text}`);
    },
    end,
  };
}
