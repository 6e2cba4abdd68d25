import { describe, expect, it, vi } from 'vitest';
import { installInterruptHandlers } from '../../src/cli/interrupt.ts';
import { etaS, progressStyle, startProgress } from '../../src/cli/progress.ts';

describe('progress on stderr', () => {
  it('estimates the time left from the average rate', () => {
    expect(etaS(0, 10, 1000)).toBeNull();
    expect(etaS(5, 10, 10_000)).toBeCloseTo(10);
    expect(etaS(10, 10, 10_000)).toBe(0);
  });

  it('--quiet draws nothing; a pipe gets lines', () => {
    expect(progressStyle(true)).toBe('none');
    expect(progressStyle(false, { isTTY: false } as NodeJS.WriteStream)).toBe('lines');
  });

  it('a pipe gets one line per interval, with an ETA', () => {
    let t = 0;
    const lines: string[] = [];
    const p = startProgress('sim', 100, 'lines', {
      lineEveryMs: 1000,
      now: () => t,
      write: (s) => lines.push(s),
    });
    t = 500;
    p.update(10);
    expect(lines).toEqual([]);
    t = 2000;
    p.update(50);
    t = 2100;
    p.update(51);
    expect(lines).toEqual(['sim: 50/100 (50%), ETA 2 s\n']);
    t = 4000;
    p.stop();
    expect(lines.at(-1)).toMatch(/^sim: 51\/100 .*done/);
  });
});

describe('interrupts', () => {
  it('SIGTERM writes the best result so far and exits 143', () => {
    const saved: string[] = [];
    const exit = vi.fn();
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const h = installInterruptHandlers(
      [
        (signal) => {
          saved.push(signal);
          return 'plan.json';
        },
      ],
      exit,
    );
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(saved).toEqual(['SIGTERM']);
      expect(exit).toHaveBeenCalledWith(143);
      expect(String(err.mock.calls.at(-1)?.[0])).toMatch(/interrupted \(SIGTERM\).*plan\.json/);
    } finally {
      h.dispose();
      err.mockRestore();
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
