/**
 * Progress of a gap run, phase by phase: a phase has a known amount of work (simulations,
 * search moves, LP probes), so a front end can draw a bar and an ETA for each. The placement
 * ILP is not among them: its time limit, not its progress, is what is known.
 */
export type GapPhase = 'policies' | 'shaped starts' | 'priority search' | 'placement search' | 'lower bound';

export interface GapStep {
  phase: GapPhase;
  done: number;
  /** For the lower bound an upper limit on its LP probes, refined as the search narrows. */
  total: number;
}

export type GapStepListener = (step: GapStep) => void;
