import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeScenario, type Scenario } from '../../../src/scenario/scenario.ts';
import { CLUSTER_SCHEMA, type Cluster } from '../../../src/schema/cluster.ts';
import { WORKLOAD_SCHEMA, type Workload } from '../../../src/schema/workload.ts';
import { Rng } from '../../../src/util/random.ts';

const HETERO4 = fileURLToPath(new URL('../../../instances/clusters/hetero-4.json', import.meta.url));

export function hetero4(): Cluster {
  return JSON.parse(readFileSync(HETERO4, 'utf8')) as Cluster;
}

/**
 * hetero-4 with scarce decode resources, so slots and KV actually bind on tiny instances:
 * `slots` decode slots everywhere, and (kvTight) the A100 decode instance at tp 1, whose
 * ~30k-token KV pool is smaller than two long-context calls.
 */
export function tightHetero4(slots: number, kvTight: boolean): Cluster {
  const c = hetero4();
  return {
    ...c,
    schema: CLUSTER_SCHEMA,
    default_decode_slots: slots,
    instances: c.instances.map((i) => (kvTight && i.id === 'd-a100-0' ? { ...i, tp: 1 } : i)),
  };
}

/** A seeded tiny workload: `calls` calls over 1–3 workflows with random DAGs. */
export function tinyWorkload(seed: number, calls: number, longContext = false): Workload {
  const rng = new Rng(`tiny/${seed}`);
  const nWf = Math.min(calls, rng.int(1, 3));
  const sizes = Array.from({ length: nWf }, () => 1);
  for (let k = nWf; k < calls; k++) sizes[rng.int(0, nWf - 1)]!++;
  return {
    schema: WORKLOAD_SCHEMA,
    name: `tiny-${seed}`,
    workflows: sizes.map((size, w) => ({
      id: `w${w}`,
      arrival_s: +rng.uniform(0, 3).toFixed(3),
      model: 'Qwen2.5-32B',
      deadline_s: +rng.uniform(5, 30).toFixed(3),
      calls: Array.from({ length: size }, (_, i) => ({
        id: `c${i}`,
        input_tokens: longContext && rng.bernoulli(0.5) ? rng.int(8000, 16000) : rng.int(200, 4000),
        output_tokens: rng.int(10, 200),
        deps: Array.from({ length: i }, (_, j) => `c${j}`).filter(() => rng.bernoulli(0.4)),
        tool_s: +rng.uniform(0, 1).toFixed(3),
      })),
    })),
  };
}

/** Tiny scenario number `seed`: alternates plain hetero-4 and tight variants. */
export function tinyScenario(seed: number, calls: number): Scenario {
  const variant = seed % 3;
  const cluster = variant === 0 ? hetero4() : tightHetero4(variant === 1 ? 1 : 2, variant === 2);
  return makeScenario(tinyWorkload(seed, calls, variant === 2), cluster);
}

/**
 * A seeded loaded scenario: `workflows` workflows of 1–3 calls arriving within 2 s on a
 * scarce-slot hetero-4, so queues form and capacity (not only critical paths) matters.
 */
export function loadedScenario(seed: number, workflows: number): Scenario {
  const rng = new Rng(`loaded/${seed}`);
  const cluster = tightHetero4(rng.int(1, 2), rng.bernoulli(0.5));
  const wl: Workload = {
    schema: WORKLOAD_SCHEMA,
    name: `loaded-${seed}`,
    workflows: Array.from({ length: workflows }, (_, w) => {
      const size = rng.int(1, 3);
      return {
        id: `w${w}`,
        arrival_s: +rng.uniform(0, 2).toFixed(3),
        model: 'Qwen2.5-32B',
        deadline_s: +rng.uniform(5, 40).toFixed(3),
        calls: Array.from({ length: size }, (_, i) => ({
          id: `c${i}`,
          input_tokens: rng.int(200, rng.bernoulli(0.3) ? 12000 : 3000),
          output_tokens: rng.int(10, 150),
          deps: i > 0 && rng.bernoulli(0.7) ? [`c${i - 1}`] : [],
          tool_s: +rng.uniform(0, 0.5).toFixed(3),
        })),
      };
    }),
  };
  return makeScenario(wl, cluster);
}
