/**
 * The single entry point for solving a Model: `solveModel(model, { solver: 'highs', timeLimitS,
 * mipRelGap, start, relax })`. Every answer is verified against the model before it is
 * returned (backends/finalize.ts), and a time limit is a hard wall-clock limit when the solve
 * runs in a worker (backends/adapter.ts explains when it does).
 */
import type { ExecutionOptions } from './backends/adapter.ts';
import type { SolverName } from './backends/backend.ts';
import { getBackend } from './backends/registry.ts';
import type { Model } from './model.ts';
import type { SolveOptions, SolveResult } from './result.ts';

export type { ExecutionOptions, Isolation } from './backends/adapter.ts';
export { closeIdleWorkers } from './workerClient.ts';

export type SolveModelOptions = SolveOptions & ExecutionOptions & { solver?: SolverName };

export const DEFAULT_SOLVER: SolverName = 'highs';

export function solveModel(model: Model, options: SolveModelOptions = {}): Promise<SolveResult> {
  const { solver = DEFAULT_SOLVER, ...rest } = options;
  return getBackend(solver).solve(model, rest);
}
