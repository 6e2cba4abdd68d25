/**
 * A wall-clock budget shared by every phase of one command (heuristics, model build, solve,
 * bounds), so a time limit bounds the whole command and not only the solver inside it. Phases
 * ask what is left and skip or stop early, saying so; a passed deadline is never an error.
 */
export interface Deadline {
  /** Seconds left, ≥ 0. */
  remainingS(): number;
  expired(): boolean;
}

export function deadlineIn(seconds: number, now: () => number = () => performance.now()): Deadline {
  const endMs = now() + seconds * 1000;
  return {
    remainingS: () => Math.max(0, (endMs - now()) / 1000),
    expired: () => now() >= endMs,
  };
}
