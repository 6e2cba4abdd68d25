import { HexplanError } from '../errors.ts';
import { atlas } from './atlas.ts';
import { edf } from './edf.ts';
import { fcfs } from './fcfs.ts';
import { fcfsSpeed } from './fcfsSpeed.ts';
import { heteroOblivious } from './heteroOblivious.ts';
import { hexagent } from './hexagent.ts';
import { leastLoaded } from './leastLoaded.ts';
import { plas } from './plas.ts';
import type { Policy } from './policy.ts';
import { replay } from './replay.ts';

/** The only list of policies: adding one is a file in src/policy/ and a line here. */
const POLICIES: Policy[] = [
  hexagent,
  fcfs,
  fcfsSpeed,
  leastLoaded,
  heteroOblivious,
  edf,
  plas,
  atlas,
  replay,
];

const BY_NAME = new Map(POLICIES.map((p) => [p.name, p]));

/** Every policy's name, in registry order (kept current by registerPolicy). */
export const POLICY_NAMES: readonly string[] = POLICIES.map((p) => p.name);

/** The online policies: every registered one that does not need an offline plan. */
export const ONLINE_POLICY_NAMES: readonly string[] = POLICIES.filter((p) => !p.needsPlan).map((p) => p.name);

/** Every online policy by name, mapped to whether it is a strawman (left out of averages). */
export function strawmanByPolicy(): ReadonlyMap<string, boolean> {
  return new Map(POLICIES.filter((p) => !p.needsPlan).map((p) => [p.name, p.strawman === true]));
}

/** Adds a policy (a plug-in or a test's throwaway one); its name must be new. */
export function registerPolicy(policy: Policy): void {
  if (BY_NAME.has(policy.name)) throw new Error(`policy "${policy.name}" is registered already`);
  POLICIES.push(policy);
  BY_NAME.set(policy.name, policy);
  (POLICY_NAMES as string[]).push(policy.name);
  if (!policy.needsPlan) (ONLINE_POLICY_NAMES as string[]).push(policy.name);
}

export function getPolicy(name: string): Policy {
  const policy = BY_NAME.get(name);
  if (!policy)
    throw new HexplanError(`--policy: unknown policy "${name}" (known: ${POLICY_NAMES.join(', ')})`);
  return policy;
}

export function allPolicies(): readonly Policy[] {
  return POLICIES;
}
