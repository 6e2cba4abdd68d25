import { problem } from '../../errors.ts';
import { strawmanByPolicy } from '../../policy/registry.ts';
import type { Grid } from '../../schema/grid.ts';
import type { HeadlineGrid } from '../../schema/headline.ts';
import { FAMILY_CHOICES } from '../../workload/generate/families.ts';

/**
 * The sweep a headline grid stands for: each family a workload generated per cluster at load 1,
 * the grid's loads as rate multipliers (a generated workload is generated at load × m), hexagent
 * and every baseline in each mode. So `hexplan sweep` (threads, shards, the Redis queue) and
 * `hexplan report` run a headline grid like any other, and `hexplan headline` reads their lines.
 */
export function headlineAsGrid(h: HeadlineGrid): Grid {
  return {
    schema: 'hexplan/grid@1',
    ...(h.name !== undefined ? { name: h.name } : {}),
    workloads: h.families.map((family) => ({
      name: family,
      generate: { family, workflows_per_instance: h.workflows_per_instance, seed: h.seed, load: 1 },
    })),
    clusters: h.clusters,
    policies: ['hexagent', ...h.baselines],
    policy_options: {},
    modes: h.modes,
    rate_multipliers: h.loads,
    quantiles: [0.95, 0.99],
  };
}

/** Unknown families and baselines, hexagent as a baseline, duplicates: in the headline grid's own fields. */
export function checkHeadlineGrid(file: string, h: HeadlineGrid): string[] {
  const problems: string[] = [];
  const duplicates = (field: 'families' | 'baselines' | 'loads' | 'clusters') => {
    const seen = new Set<string>();
    (h[field] as ReadonlyArray<string | number>).forEach((v, i) => {
      if (seen.has(String(v)))
        problems.push(problem(file, [field, i], `duplicate entry ${JSON.stringify(v)}`));
      seen.add(String(v));
    });
  };
  h.families.forEach((f, i) => {
    if (!(FAMILY_CHOICES as readonly string[]).includes(f))
      problems.push(
        problem(file, ['families', i], `unknown family "${f}" (known: ${FAMILY_CHOICES.join(', ')})`),
      );
  });
  const known = strawmanByPolicy();
  h.baselines.forEach((p, i) => {
    if (p === 'hexagent')
      problems.push(problem(file, ['baselines', i], 'hexagent is what is measured, not a baseline'));
    else if (!known.has(p))
      problems.push(
        problem(
          file,
          ['baselines', i],
          `unknown online policy "${p}" (known: ${[...known.keys()].join(', ')})`,
        ),
      );
  });
  for (const field of ['families', 'baselines', 'loads', 'clusters'] as const) duplicates(field);
  return problems;
}
