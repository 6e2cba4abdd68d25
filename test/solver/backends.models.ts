/**
 * Small models with known answers for the backend conformance suite, and generators of hard
 * instances for the trap tests and the solver bench. Answers were worked out by hand (comments)
 * or are computed here by enumeration, independently of any solver.
 */
import { LinearExpr, Model, type Var } from '../../src/solver/model.ts';
import type { SolveStatus } from '../../src/solver/result.ts';
import { Rng } from '../../src/util/random.ts';

export interface KnownCase {
  name: string;
  build: () => Model;
  status: SolveStatus;
  objective?: number;
  /** Expected values by variable name, where the optimum is unique. */
  values?: Record<string, number>;
  /** Objective of the LP relaxation, where it differs from the MIP optimum. */
  relaxedObjective?: number;
}

type VarOptions = Omit<Parameters<Model['addVar']>[0], 'name'>;

function model(name: string, fn: (m: Model, v: (n: string, o?: VarOptions) => Var) => void) {
  return () => {
    const m = new Model(name);
    fn(m, (n, o) => m.addVar({ ...o, name: n }));
    return m;
  };
}

const KNAPSACK = {
  value: [10, 13, 7, 8, 4],
  weight: [5, 6, 4, 3, 2],
  upper: [1, 1, 1, 1, 3],
  capacity: 12,
};

export const KNOWN_CASES: KnownCase[] = [
  {
    // max 3x + 2y; x + y ≤ 4, x + 3y ≤ 6, x ≤ 3 → vertex (3, 1), 11.
    name: 'LP maximize',
    build: model('lp', (m, v) => {
      const x = v('x', { ub: 3 });
      const y = v('y');
      m.addConstraint('a', LinearExpr.of([1, x], [1, y]), '<=', 4);
      m.addConstraint('b', LinearExpr.of([1, x], [3, y]), '<=', 6);
      m.setObjective('max', LinearExpr.of([3, x], [2, y]));
    }),
    status: 'optimal',
    objective: 11,
    values: { x: 3, y: 1 },
  },
  {
    // max 5x + 4y; 6x + 4y ≤ 24, x + 2y ≤ 6, x, y integer: LP (3, 1.5) = 21, MIP (4, 0) = 20.
    name: 'MIP whose LP relaxation is fractional',
    build: model('mip', (m, v) => {
      const x = v('x', { type: 'integer' });
      const y = v('y', { type: 'integer' });
      m.addConstraint('a', LinearExpr.of([6, x], [4, y]), '<=', 24);
      m.addConstraint('b', LinearExpr.of([1, x], [2, y]), '<=', 6);
      m.setObjective('max', LinearExpr.of([5, x], [4, y]));
    }),
    status: 'optimal',
    objective: 20,
    values: { x: 4, y: 0 },
    relaxedObjective: 21,
  },
  {
    name: 'infeasible LP',
    build: model('infeasible', (m, v) => {
      const x = v('x');
      const y = v('y');
      m.addConstraint('low', LinearExpr.of([1, x], [1, y]), '>=', 5);
      m.addConstraint('high', LinearExpr.of([1, x], [1, y]), '<=', 3);
      m.setObjective('min', LinearExpr.of([1, x]));
    }),
    status: 'infeasible',
  },
  {
    name: 'infeasible MIP (LP relaxation feasible)',
    build: model('infeasible_mip', (m, v) => {
      const x = v('x', { type: 'integer', ub: 10 });
      m.addConstraint('odd', LinearExpr.of([2, x]), '=', 3);
      m.setObjective('min', LinearExpr.of([1, x]));
    }),
    status: 'infeasible',
  },
  {
    name: 'unbounded LP',
    build: model('unbounded', (m, v) => {
      const x = v('x');
      const y = v('y');
      m.addConstraint('a', LinearExpr.of([1, x], [-1, y]), '<=', 1);
      m.setObjective('max', LinearExpr.of([1, x], [1, y]));
    }),
    status: 'unbounded',
  },
  {
    // min x + 2y + 3z; x + y + z = 6, x − y = 1 → obj 16 − 3y, y ≤ 2.5 → (3.5, 2.5, 0), 8.5.
    name: 'equality rows',
    build: model('equalities', (m, v) => {
      const x = v('x');
      const y = v('y');
      const z = v('z');
      m.addConstraint('sum', LinearExpr.of([1, x], [1, y], [1, z]), '=', 6);
      m.addConstraint('diff', LinearExpr.of([1, x], [-1, y]), '=', 1);
      m.setObjective('min', LinearExpr.of([1, x], [2, y], [3, z]));
    }),
    status: 'optimal',
    objective: 8.5,
    values: { x: 3.5, y: 2.5, z: 0 },
  },
  {
    // x free: min 2x + y; x + y ≥ −2, x − y ≥ −6, y ≥ 0 → (−4, 2), −6.
    name: 'free variable',
    build: model('free', (m, v) => {
      const x = v('x', { lb: Number.NEGATIVE_INFINITY });
      const y = v('y');
      m.addConstraint('a', LinearExpr.of([1, x], [1, y]), '>=', -2);
      m.addConstraint('b', LinearExpr.of([1, x], [-1, y]), '>=', -6);
      m.setObjective('min', LinearExpr.of([2, x], [1, y]));
    }),
    status: 'optimal',
    objective: -6,
    values: { x: -4, y: 2 },
  },
  {
    // x ∈ [−3, −1], y ∈ [−2, 5]: min 2x + y; x + y ≥ −4 → (−3, −1), −7.
    name: 'negative bounds',
    build: model('negative', (m, v) => {
      const x = v('x', { lb: -3, ub: -1 });
      const y = v('y', { lb: -2, ub: 5 });
      m.addConstraint('a', LinearExpr.of([1, x], [1, y]), '>=', -4);
      m.setObjective('min', LinearExpr.of([2, x], [1, y]));
    }),
    status: 'optimal',
    objective: -7,
    values: { x: -3, y: -1 },
  },
  {
    name: 'integer knapsack (binaries and a general integer)',
    build: knapsack,
    status: 'optimal',
    objective: knapsackOptimum(),
  },
  {
    // min x + 100 with x ≥ 2 (a bound), fixed w = 5 contributing 3w: 2 + 15 + 100 = 117.
    name: 'objective constant and a fixed variable',
    build: model('constant', (m, v) => {
      const x = v('x', { lb: 2 });
      const w = v('w', { lb: 5, ub: 5 });
      m.addConstraint('a', LinearExpr.of([1, x], [1, w]), '<=', 50);
      m.setObjective('min', LinearExpr.of([1, x], [3, w]).addConstant(100));
    }),
    status: 'optimal',
    objective: 117,
    values: { x: 2, w: 5 },
  },
  {
    // max −x − y + 10 with x + y ≥ 3, y integer ≤ 1.5 → y ≤ 1; any split with x + y = 3: 7.
    name: 'maximize with a negative objective and a constant',
    build: model('max_constant', (m, v) => {
      const x = v('x');
      const y = v('y', { type: 'integer', ub: 1.5 });
      m.addConstraint('a', LinearExpr.of([1, x], [1, y]), '>=', 3);
      m.setObjective('max', LinearExpr.of([-1, x], [-1, y]).addConstant(10));
    }),
    status: 'optimal',
    objective: 7,
  },
];

function knapsack(): Model {
  const m = new Model('knapsack');
  const x = KNAPSACK.value.map((_, j) =>
    KNAPSACK.upper[j] === 1
      ? m.addVar({ name: `item${j}`, type: 'binary' })
      : m.addVar({ name: `item${j}`, type: 'integer', ub: KNAPSACK.upper[j]! }),
  );
  const w = new LinearExpr();
  const val = new LinearExpr();
  x.forEach((v, j) => {
    w.add(KNAPSACK.weight[j]!, v);
    val.add(KNAPSACK.value[j]!, v);
  });
  m.addConstraint('capacity', w, '<=', KNAPSACK.capacity);
  m.setObjective('max', val);
  return m;
}

/** The knapsack's optimum by enumerating every integer point. */
export function knapsackOptimum(): number {
  let best = Number.NEGATIVE_INFINITY;
  const n = KNAPSACK.value.length;
  const go = (j: number, weight: number, value: number) => {
    if (weight > KNAPSACK.capacity) return;
    if (j === n) {
      best = Math.max(best, value);
      return;
    }
    for (let k = 0; k <= KNAPSACK.upper[j]!; k++)
      go(j + 1, weight + k * KNAPSACK.weight[j]!, value + k * KNAPSACK.value[j]!);
  };
  go(0, 0, 0);
  return best;
}

/**
 * Market split (Cornuéjols & Dawande 1998): `rows` equality knapsacks over `cols` binaries with
 * slack penalties. Its LP bound is 0 and branch and bound cannot close the gap: 4 × 30 keeps
 * HiGHS busy far beyond a minute, so a time limit always ends it.
 */
export function marketSplit(rows: number, cols: number, seed = 7): Model {
  const rng = new Rng(seed);
  const m = new Model(`market_split_${rows}x${cols}`);
  const x = Array.from({ length: cols }, (_, j) => m.addVar({ name: `x${j}`, type: 'binary' }));
  const obj = new LinearExpr();
  for (let i = 0; i < rows; i++) {
    const a = x.map(() => Math.floor(rng.next() * 100));
    const rhs = Math.floor(a.reduce((s, c) => s + c, 0) / 2);
    const plus = m.addVar({ name: `over${i}` });
    const minus = m.addVar({ name: `under${i}` });
    const e = new LinearExpr();
    a.forEach((c, j) => {
      e.add(c, x[j]!);
    });
    m.addConstraint(`split${i}`, e.add(1, plus).add(-1, minus), '=', rhs);
    obj.add(1, plus).add(1, minus);
  }
  m.setObjective('min', obj);
  return m;
}

/** A dense LP that javascript-lp-solver's tableau simplex needs many seconds for. */
export function denseLp(rows: number, cols: number, seed = 11): Model {
  const rng = new Rng(seed);
  const m = new Model(`dense_lp_${rows}x${cols}`);
  const x = Array.from({ length: cols }, (_, j) => m.addVar({ name: `x${j}`, ub: 10 }));
  for (let i = 0; i < rows; i++) {
    const e = new LinearExpr();
    x.forEach((v) => {
      e.add(1 + Math.floor(rng.next() * 20), v);
    });
    m.addConstraint(`r${i}`, e, '<=', 100 + Math.floor(rng.next() * 1000));
  }
  const obj = new LinearExpr();
  x.forEach((v) => {
    obj.add(1 + rng.next(), v);
  });
  m.setObjective('max', obj);
  return m;
}

/**
 * Generalized assignment (every job on exactly one machine, machine capacities, minimum cost),
 * with costs anti-correlated to weights (Martello–Toth type D), which makes it branch-heavy:
 * `machines × jobs` binaries.
 */
export function assignment(machines: number, jobs: number, seed = 5, tightness = 0.8): Model {
  const rng = new Rng(seed);
  const m = new Model(`assignment_${machines}x${jobs}`);
  const x = Array.from({ length: machines }, (_, i) =>
    Array.from({ length: jobs }, (_, j) => m.addVar({ name: `x_${i}_${j}`, type: 'binary' })),
  );
  const w = x.map((row) => row.map(() => 1 + Math.floor(rng.next() * 100)));
  const cost = new LinearExpr();
  for (let j = 0; j < jobs; j++) {
    const e = new LinearExpr();
    for (let i = 0; i < machines; i++) {
      e.add(1, x[i]![j]!);
      cost.add(111 - w[i]![j]! + Math.floor(rng.next() * 21) - 10, x[i]![j]!);
    }
    m.addConstraint(`assign_${j}`, e, '=', 1);
  }
  for (let i = 0; i < machines; i++) {
    const e = new LinearExpr();
    let total = 0;
    for (let j = 0; j < jobs; j++) {
      e.add(w[i]![j]!, x[i]![j]!);
      total += w[i]![j]!;
    }
    m.addConstraint(`capacity_${i}`, e, '<=', Math.floor((tightness * total) / machines));
  }
  m.setObjective('min', cost);
  return m;
}

/**
 * Single-machine scheduling, time-indexed (Sousa–Wolsey): job j starts at one slot t
 * (binary x_jt), at most one job runs in any slot, minimize total weighted completion time.
 * `jobs × horizon` binaries with a strong but not integral LP relaxation.
 */
export function timeIndexedSchedule(jobs: number, seed = 3): Model {
  const rng = new Rng(seed);
  const p = Array.from({ length: jobs }, () => 1 + Math.floor(rng.next() * 6));
  const w = Array.from({ length: jobs }, () => 1 + Math.floor(rng.next() * 10));
  const release = Array.from({ length: jobs }, () => Math.floor(rng.next() * 10));
  const horizon = p.reduce((s, d) => s + d, 0) + 10;
  const m = new Model(`schedule_${jobs}x${horizon}`);
  const x: Array<Array<ReturnType<Model['addVar']> | null>> = p.map((d, j) =>
    Array.from({ length: horizon }, (_, t) =>
      t >= release[j]! && t + d <= horizon ? m.addVar({ name: `s_${j}_${t}`, type: 'binary' }) : null,
    ),
  );
  const obj = new LinearExpr();
  x.forEach((row, j) => {
    const once = new LinearExpr();
    row.forEach((v, t) => {
      if (!v) return;
      once.add(1, v);
      obj.add(w[j]! * (t + p[j]!), v);
    });
    m.addConstraint(`once_${j}`, once, '=', 1);
  });
  for (let t = 0; t < horizon; t++) {
    const busy = new LinearExpr();
    x.forEach((row, j) => {
      for (let s = Math.max(0, t - p[j]! + 1); s <= t; s++) if (row[s]) busy.add(1, row[s]!);
    });
    if (busy.vars.length > 0) m.addConstraint(`slot_${t}`, busy, '<=', 1);
  }
  m.setObjective('min', obj);
  return m;
}

/**
 * Capacitated facility location: open facilities (binary) and serve each customer's demand
 * from open ones (continuous flows), minimizing opening plus transport cost.
 */
export function facilityLocation(facilities: number, customers: number, seed = 9): Model {
  const rng = new Rng(seed);
  const pt = () => [rng.next() * 100, rng.next() * 100] as const;
  const fac = Array.from({ length: facilities }, pt);
  const cus = Array.from({ length: customers }, pt);
  const demand = cus.map(() => 5 + Math.floor(rng.next() * 30));
  const total = demand.reduce((s, d) => s + d, 0);
  const m = new Model(`facility_${facilities}x${customers}`);
  const open = fac.map((_, i) => m.addVar({ name: `open_${i}`, type: 'binary' }));
  const obj = new LinearExpr();
  const cap = fac.map(() => Math.floor((3 * total) / facilities));
  const flows = fac.map((f, i) =>
    cus.map((c, j) => {
      const v = m.addVar({ name: `flow_${i}_${j}`, ub: demand[j]! });
      obj.add(Math.hypot(f[0] - c[0], f[1] - c[1]) / 10, v);
      // Flow only from an open facility (a strong, disaggregated link).
      m.addConstraint(`link_${i}_${j}`, LinearExpr.of([1, v], [-demand[j]!, open[i]!]), '<=', 0);
      return v;
    }),
  );
  open.forEach((o, i) => {
    obj.add(200 + Math.floor(rng.next() * 300), o);
    const e = new LinearExpr();
    flows[i]!.forEach((v) => {
      e.add(1, v);
    });
    m.addConstraint(`cap_${i}`, e.add(-cap[i]!, o), '<=', 0);
  });
  cus.forEach((_, j) => {
    const e = new LinearExpr();
    flows.forEach((row) => {
      e.add(1, row[j]!);
    });
    m.addConstraint(`demand_${j}`, e, '=', demand[j]!);
  });
  m.setObjective('min', obj);
  return m;
}

/** Balanced transportation LP: `sources × sinks` continuous flows, supplies and demands as equalities. */
export function transportation(sources: number, sinks: number, seed = 13): Model {
  const rng = new Rng(seed);
  const m = new Model(`transportation_${sources}x${sinks}`);
  const demand = Array.from({ length: sinks }, () => 10 + Math.floor(rng.next() * 90));
  const total = demand.reduce((s, d) => s + d, 0);
  const supply = Array.from({ length: sources }, () => 1 + rng.next());
  const scale = total / supply.reduce((s, x) => s + x, 0);
  const x = Array.from({ length: sources }, (_, i) =>
    Array.from({ length: sinks }, (_, j) => m.addVar({ name: `ship_${i}_${j}` })),
  );
  const obj = new LinearExpr();
  let assigned = 0;
  x.forEach((row, i) => {
    const e = new LinearExpr();
    row.forEach((v) => {
      e.add(1, v);
      obj.add(1 + Math.floor(rng.next() * 100), v);
    });
    // Integral supplies summing exactly to the total demand (the last source takes the rest).
    const s = i === sources - 1 ? total - assigned : Math.floor(supply[i]! * scale);
    assigned += s;
    m.addConstraint(`supply_${i}`, e, '=', s);
  });
  demand.forEach((d, j) => {
    const e = new LinearExpr();
    x.forEach((row) => {
      e.add(1, row[j]!);
    });
    m.addConstraint(`demand_${j}`, e, '=', d);
  });
  m.setObjective('min', obj);
  return m;
}
