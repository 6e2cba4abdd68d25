import { z } from 'zod';
import { DEFAULT_CLUSTER, DEFAULT_WORKLOAD } from '../scenario/scenario.ts';
import { flag } from './flags.ts';

/** Options several commands share, so a flag means the same thing and has one default everywhere. */

export const workloadFlag = () =>
  flag(z.string().min(1).default(DEFAULT_WORKLOAD), {
    alias: 'w',
    describe: 'workload file (hexplan/workload@1)',
    defaultDescription: 'instances/workloads/small.json',
  });

export const clusterFlag = () =>
  flag(z.string().min(1).default(DEFAULT_CLUSTER), {
    alias: 'c',
    describe: 'cluster file (hexplan/cluster@1)',
    defaultDescription: 'instances/clusters/hetero-6.json',
  });

export const scenarioFlags = () => ({ workload: workloadFlag(), cluster: clusterFlag() });

export const seedFlag = () =>
  flag(z.number().int().default(1), { describe: 'random seed (same inputs and seed, same output)' });

export const quantileFlag = (alias?: string) =>
  flag(z.number().gt(0).lte(1).default(0.95), {
    describe: 'attainment quantile q, in (0, 1]',
    ...(alias ? { alias } : {}),
  });

export const timeLimitFlag = (defaultS: number) =>
  flag(z.number().positive().default(defaultS), { describe: 'solver time limit, seconds' });

export function outputFlag(describe: string, required: true): z.ZodString;
export function outputFlag(describe: string, required?: false): z.ZodOptional<z.ZodString>;
export function outputFlag(describe: string, required = false): z.ZodString | z.ZodOptional<z.ZodString> {
  const s = z.string().min(1);
  return flag(required ? s : s.optional(), { alias: 'o', describe, writes: true });
}

export const csvFlag = (describe: string) =>
  flag(z.string().min(1).optional(), { describe: `write ${describe} as CSV to this file`, writes: true });

/**
 * A comma-separated list of names from `known`: refused at parse time, naming the known ones.
 * The result is the list of names.
 */
export function nameListFlag(known: readonly string[], describe: string) {
  return flag(
    z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x.length > 0),
      )
      .pipe(
        z
          .array(
            z.string().refine((n) => known.includes(n), {
              error: (iss) => `unknown "${String(iss.input)}" (known: ${known.join(', ')})`,
            }),
          )
          .min(1, 'empty list'),
      )
      .optional(),
    { describe },
  );
}

/** One name from a registry (objectives, solvers, trace formats): the registry is the only list. */
export function registryChoice(names: () => readonly string[]) {
  return z.string().refine((n) => names().includes(n), {
    error: (iss) => `unknown "${String(iss.input)}" (known: ${names().join(', ')})`,
  });
}

export function registryFlag(names: () => readonly string[], describe: string, defaultName?: string) {
  const base = registryChoice(names);
  return flag(defaultName === undefined ? base : base.default(defaultName), { describe, choices: names });
}

/** `--queue-name`, the same on `sweep` and `worker`. */
export const queueNameFlag = () =>
  flag(z.string().min(1).optional(), { describe: 'queue name on that Redis (default hexplan-sweep)' });
