import type { Model } from '../model.ts';
import type { SolveOptions, SolveResult } from '../result.ts';

/** A solver backend's name: the runner list (runners.ts) says which exist. */
export type SolverName = string;

/**
 * One solver adapter: translate a Model in, translate the answer back, nothing more.
 * Implementations live beside this file, one per solver, and are listed in registry.ts.
 */
export interface SolverBackend {
  readonly name: SolverName;
  solve(model: Model, options: SolveOptions): Promise<SolveResult>;
}
