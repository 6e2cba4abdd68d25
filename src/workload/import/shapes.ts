import { HexplanError } from '../../errors.ts';
import { Rng } from '../../util/random.ts';
import { BUILDERS, FAMILY_CHOICES, type FamilyChoice, familyOf } from '../generate/families.ts';
import { loadTokenLengths } from '../generate/tokenLengths.ts';
import type { ShapeSource } from './rows.ts';

/**
 * DAG shapes from the workload generators (`hexplan gen`), drawn exactly as `gen` draws them
 * for the same family and seed: shape i comes from the stream `workflow-i` and `mixed` picks
 * families from the stream `family`. The importer keeps each shape's calls, deps, tool delays
 * and stages and replaces the generated token lengths with the trace's.
 */
export function shapeSourceFor(family: string, seed: number): ShapeSource {
  if (!(FAMILY_CHOICES as readonly string[]).includes(family))
    throw new HexplanError(`family: unknown "${family}" (known: ${FAMILY_CHOICES.join(', ')})`, {
      field: 'family',
    });
  const choice = family as FamilyChoice;
  const root = new Rng(seed);
  const mix = root.fork('family');
  // Same defaults as generateWorkload; the drawn lengths are discarded.
  const options = { lengths: loadTokenLengths(), maxFanout: 6, maxDepth: 6 };
  let i = 0;
  return () => {
    const f = familyOf(choice, mix);
    const calls = BUILDERS[f](root.fork(`workflow-${i++}`), options);
    return {
      family: f,
      calls: calls.map((c) => ({ id: c.id, deps: c.deps, tool_s: c.tool_s, stage: c.stage })),
    };
  };
}
