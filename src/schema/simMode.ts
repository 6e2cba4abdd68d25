import { z } from 'zod';

/** Simulator mode: `exact` is the planner's model, `realistic` continuous batching. */
export const SimMode = z.enum(['exact', 'realistic']);
export type SimMode = z.infer<typeof SimMode>;
export const SIM_MODES: readonly SimMode[] = SimMode.options;
