import type { CandidatePool } from './candidates.ts';
import { round } from './loop.ts';
import type { InstanceType } from './types.ts';
import { simulatedScale } from './verifyCluster.ts';

export interface HomogeneousResult {
  gpu: string;
  /** {prefill: n, decode: n} or {mixed: n} instances; null when nothing within the limits met the target. */
  counts: Record<string, number> | null;
  gpus: number | null;
  cost_per_hour: number | null;
  meets_target: boolean;
  /** Required scale in the verifier's mode, then in each mode (null where not simulated). */
  simulated_scale: number | null;
  exact_scale: number | null;
  realistic_scale: number | null;
  /** Clusters simulated in the search (the pool's cache counts once). */
  simulations: number;
  /** Why the search stopped without an answer, or which cap bound it. */
  note?: string;
}

export interface HomogeneousOptions {
  /** Most new simulations per GPU type (default 40); when it binds the result says so. */
  maxSimulations?: number;
}

type Shape = { p: number; d: number; m: number };

/**
 * The cheapest cluster of one GPU type meeting the target, by simulation, for both shapes:
 * PD-disaggregated (p prefill + d decode instances) and mixed-only (m instances). Each shape
 * starts at the ratio its average load asks for (prefill-lane seconds vs decode-slot seconds
 * per second, from the demand model), doubles until it verifies, bisects the size, then
 * removes single instances (and moves one between roles when cheaper) while it still
 * verifies. Assumption, stated and not proven for an online policy: adding instances never
 * raises the required scale (it makes the doubling and bisection valid).
 */
export async function cheapestHomogeneous(
  pool: CandidatePool,
  gpu: string,
  options: HomogeneousOptions = {},
): Promise<HomogeneousResult> {
  const { ctx } = pool;
  const types = pool.types;
  const models = [...new Set(types.map((t) => t.model))];
  const empty = (note: string, simulations = 0): HomogeneousResult => ({
    gpu,
    counts: null,
    gpus: null,
    cost_per_hour: null,
    meets_target: false,
    simulated_scale: null,
    exact_scale: null,
    realistic_scale: null,
    simulations,
    note,
  });
  if (models.length !== 1) return empty('homogeneous search supports single-model workloads only');
  const pre = types.find((t) => t.gpu === gpu && t.role === 'prefill');
  const dec = types.find((t) => t.gpu === gpu && t.role === 'decode');
  const mix = types.find((t) => t.gpu === gpu && t.role === 'mixed');
  const allowedRoles = new Set(ctx.setup.roles);
  const pd = pre && dec && allowedRoles.has('prefill') && allowedRoles.has('decode');
  const mixed = mix && allowedRoles.has('mixed');
  if (!pd && !mixed) return empty('the catalog allows no instances of this GPU for the model');
  const available = ctx.setup.gpus.find((g) => g.name === gpu)?.availableGpus ?? null;
  const maxSimulations = options.maxSimulations ?? 40;
  const start = pool.simulations;
  const spent = () => pool.simulations - start;
  let capped = false;
  /** Set when doubling a shape stopped lowering its scale: more of this GPU cannot reach the target. */
  let saturated: string | null = null;
  const scales = new Map<string, number>();
  const vector = (s: Shape) => types.map((t) => (t === pre ? s.p : t === dec ? s.d : t === mix ? s.m : 0));
  const gpusOf = (s: Shape) => s.p * (pre?.tp ?? 0) + s.d * (dec?.tp ?? 0) + s.m * (mix?.tp ?? 0);
  const fits = (s: Shape) => available === null || gpusOf(s) <= available;
  /** Simulates a shape; null when the cap stops it. */
  const tryShape = async (s: Shape): Promise<boolean | null> => {
    const counts = vector(s);
    const known = pool.lookup(counts);
    if (known) return known.met;
    if (pool.dominatedByFailure(counts)) return false;
    if (spent() >= maxSimulations) {
      capped = true;
      return null;
    }
    const c = await pool.evaluate(counts, `homogeneous:${gpu}`);
    scales.set(counts.join(','), c.scale);
    pool.say(
      `homogeneous ${gpu}: ${s.m > 0 ? `${s.m}m` : `${s.p}p+${s.d}d`}, scale ${c.scale.toFixed(3)}${c.met ? ' (met)' : ''}`,
    );
    return c.met;
  };
  const scaleOf = (s: Shape) => scales.get(vector(s).join(','));
  const onSaturated = (s: Shape, scale: number) => {
    saturated = `doubling to ${gpusOf(s)} GPUs left the scale at ${scale.toFixed(3)}: the target is out of this GPU's reach`;
  };
  const load = loads(pool, pre, dec, mix);
  const results: Shape[] = [];
  if (pd) {
    const r = await searchShape(
      (f) => ({
        p: Math.max(1, Math.ceil(f * load.prefill)),
        d: Math.max(1, Math.ceil(f * load.decode)),
        m: 0,
      }),
      fits,
      tryShape,
      scaleOf,
      onSaturated,
    );
    if (r) results.push(await trimShape(r, ['p', 'd'], tryShape, pool, vector));
  }
  if (mixed) {
    const r = await searchShape(
      (f) => ({ p: 0, d: 0, m: Math.max(1, Math.ceil(f * load.mixed)) }),
      fits,
      tryShape,
      scaleOf,
      onSaturated,
    );
    if (r) results.push(await trimShape(r, ['m'], tryShape, pool, vector));
  }
  const capNote = capped
    ? `simulation cap ${maxSimulations} reached: larger or smaller sizes left untried`
    : undefined;
  if (results.length === 0) {
    return empty(
      capNote ??
        (saturated !== null
          ? `no size met the target: ${saturated}`
          : available !== null
            ? `no size within availability (${available} GPUs) met the target`
            : 'no size met the target'),
      spent(),
    );
  }
  results.sort((a, b) => pool.costOf(vector(a)) - pool.costOf(vector(b)) || gpusOf(a) - gpusOf(b));
  const best = results[0]!;
  const counts = vector(best);
  const sim = simulatedScale(
    pool.workloadAt(1),
    pool.cluster(counts, `homogeneous-${gpu}`),
    ctx.setup,
    pool.options.verifier,
    true,
  );
  return {
    gpu,
    counts: best.m > 0 ? { mixed: best.m } : { prefill: best.p, decode: best.d },
    gpus: gpusOf(best),
    cost_per_hour: round(pool.costOf(counts), 6),
    meets_target: true,
    simulated_scale: round(sim.scale, 4),
    exact_scale: sim.exact === null ? null : round(sim.exact, 4),
    realistic_scale: sim.realistic === null ? null : round(sim.realistic, 4),
    simulations: spent(),
    ...(capNote ? { note: capNote } : {}),
  };
}

/** Instances each role needs at full utilization on average (Little's law over the demand model). */
function loads(
  pool: CandidatePool,
  pre: InstanceType | undefined,
  dec: InstanceType | undefined,
  mix: InstanceType | undefined,
): { prefill: number; decode: number; mixed: number } {
  let prefill = 0;
  let decode = 0;
  let mixed = 0;
  for (const c of pool.ctx.demand.demands) {
    const at = (t: InstanceType | undefined, xs: number[]) =>
      t && Number.isFinite(xs[t.index]!) ? c.ratePerS * xs[t.index]! : 0;
    prefill += at(pre, c.prefillS);
    decode += dec ? at(dec, c.decodeS) / dec.decodeSlots : 0;
    mixed += at(mix, c.prefillS) + (mix ? at(mix, c.decodeS) / mix.decodeSlots : 0);
  }
  return { prefill, decode, mixed };
}

/**
 * Doubles the size factor until a shape verifies, then bisects between the last miss and it.
 * Gives up when a doubling no longer lowers the simulated scale (by 0.1%): the target is then
 * below what any size of this GPU reaches (e.g. a scale under the realistic floor), and doubling
 * on would only build ever larger clusters to simulate.
 */
async function searchShape(
  shapeAt: (f: number) => Shape,
  fits: (s: Shape) => boolean,
  tryShape: (s: Shape) => Promise<boolean | null>,
  scaleOf: (s: Shape) => number | undefined,
  onSaturated: (s: Shape, scale: number) => void,
): Promise<Shape | null> {
  let lo = 0;
  let hi = 0.5;
  let ok: Shape | null = null;
  for (;;) {
    const s = shapeAt(hi);
    if (!fits(s)) {
      // The largest shape within availability is the last chance.
      // Bounded: f = lo + (f − lo)·0.75 stops moving once f − lo is one ulp (it rounds back to
      // f), so an unbounded loop spun forever when even the smallest shape is over the limit.
      let f = hi;
      for (let i = 0; i < 64 && !fits(shapeAt(f)); i++) f = lo + (f - lo) * 0.75;
      if (!fits(shapeAt(f)) || f <= lo + 1e-9) return null;
      const r = await tryShape(shapeAt(f));
      if (!r) return null;
      ok = shapeAt(f);
      hi = f;
      break;
    }
    const r = await tryShape(s);
    if (r === null) return null;
    if (r) {
      ok = s;
      break;
    }
    const scale = scaleOf(s);
    const before = lo > 0 ? scaleOf(shapeAt(lo)) : undefined;
    if (scale !== undefined && before !== undefined && scale >= before * (1 - 1e-3)) {
      onSaturated(s, scale);
      return null;
    }
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-3) {
    const mid = (lo + hi) / 2;
    const s = shapeAt(mid);
    if (same(s, ok) || same(s, shapeAt(lo))) break;
    const r = await tryShape(s);
    if (r === null) break;
    if (r) {
      ok = s;
      hi = mid;
    } else lo = mid;
  }
  return ok;
}

/** Greedy: one fewer instance of a role, or one moved to the other role when cheaper, while it verifies. */
async function trimShape(
  start: Shape,
  roles: Array<'p' | 'd' | 'm'>,
  tryShape: (s: Shape) => Promise<boolean | null>,
  pool: CandidatePool,
  vector: (s: Shape) => number[],
): Promise<Shape> {
  let best = start;
  for (;;) {
    const moves: Shape[] = [];
    for (const r of roles) if (best[r] > 1) moves.push({ ...best, [r]: best[r] - 1 });
    if (roles.length === 2) {
      moves.push({ ...best, p: best.p + 1, d: best.d - 1 }, { ...best, p: best.p - 1, d: best.d + 1 });
    }
    const cost = pool.costOf(vector(best));
    const cheaperMoves = moves
      .filter((s) => s.p >= 0 && s.d >= 0 && (roles.length === 1 || (s.p >= 1 && s.d >= 1)))
      .filter((s) => pool.costOf(vector(s)) < cost - 1e-9)
      .sort((a, b) => pool.costOf(vector(a)) - pool.costOf(vector(b)));
    let moved = false;
    for (const s of cheaperMoves) {
      const r = await tryShape(s);
      if (r === null) return best;
      if (r) {
        best = s;
        moved = true;
        break;
      }
    }
    if (!moved) return best;
  }
}

function same(a: Shape, b: Shape | null): boolean {
  return b !== null && a.p === b.p && a.d === b.d && a.m === b.m;
}
