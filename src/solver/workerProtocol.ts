/** Messages between the solver worker (worker.ts) and the thread that started it (workerClient.ts). */
import type { SolverName } from './backends/backend.ts';
import type { PackedModel } from './backends/packed.ts';
import type { RawAnswer, RawProgress, RunOptions } from './backends/raw.ts';

export interface SolveJob {
  id: number;
  solver: SolverName;
  /** For a plug-in solver: the module exporting its RunnerEntry as `runner`. */
  moduleUrl?: string;
  packed: PackedModel;
  options: RunOptions;
}

export type WorkerMessage =
  | { type: 'progress'; id: number; progress: RawProgress }
  | { type: 'done'; id: number; answer: RawAnswer }
  | { type: 'error'; id: number; message: string; userError: boolean };
