import { HexplanError } from '../errors.ts';
import { makespan } from './makespan.ts';
import { meanScale } from './meanScale.ts';
import type { PlacementObjective } from './objective.ts';
import { quantileScale } from './quantileScale.ts';
import { weightedTardiness } from './weightedTardiness.ts';

/** The only list of placement objectives: adding one is a file in src/objective/ and a line here. */
const OBJECTIVES: PlacementObjective[] = [quantileScale, makespan, meanScale, weightedTardiness];
const BY_NAME = new Map(OBJECTIVES.map((o) => [o.name, o]));

export const DEFAULT_OBJECTIVE = quantileScale.name;

export function objectiveNames(): string[] {
  return OBJECTIVES.map((o) => o.name);
}

/** The objective called `name`; a user's unknown name is a HexplanError naming the field. */
export function getObjective(name: string, field = 'objective'): PlacementObjective {
  const objective = BY_NAME.get(name);
  if (!objective)
    throw new HexplanError(`${field}: unknown objective "${name}" (known: ${objectiveNames().join(', ')})`);
  return objective;
}

/** Adds an objective (a plug-in or a test's throwaway one); its name must be new. */
export function registerObjective(objective: PlacementObjective): void {
  if (BY_NAME.has(objective.name)) throw new Error(`objective "${objective.name}" is registered already`);
  OBJECTIVES.push(objective);
  BY_NAME.set(objective.name, objective);
}
