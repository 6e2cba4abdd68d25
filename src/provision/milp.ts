import { LinearExpr, Model, type Var } from '../solver/model.ts';
import type { MilpOptions, ProvisionProblem } from './types.ts';

/**
 * The provisioning MILP (docs/concepts.md "Provisioning MILP").
 *
 * Variables: n_t ∈ ℤ≥0 instances of each type t = (model, GPU, role, tp); y_{c,p,d} ≥ 0 calls/s
 * of class c routed to prefill type p and decode type d, only for pairs whose exact-mode
 * latency share is within `latencyLimit` (eligibility). In max-rate mode, μ ≥ 0 scales demand.
 *
 * Rows, all at utilization cap ρ (Little's law: mean busy servers = rate × service time):
 *   demand     Σ_{p,d} y_{c,p,d} = λ_c  (= μ·λ_c in max-rate mode)
 *   prefill    Σ y·prefillS_{c,p} ≤ ρ·n_p                 one prefill lane per instance
 *   slots      Σ y·decodeS_{c,d} / slots_d ≤ ρ·n_d        decode slots held during a decode
 *   kv         Σ y·(decodeS·kvTokens)_{c,d} ≤ ρ·kvCap_d·n_d  KV token-seconds held
 *   net-out/in Σ y·bytes_c ≤ ρ·bw_t·n_t                    KV transfer over the network
 *   mixed      exact-mode semantics: one prefill lane AND separate decode slots, each under ρ;
 *              with `mixedTimeShare`, prefill busy + slot occupancy ≤ ρ·n_t instead (a colocated
 *              GPU time-shares its stages, as realistic mode runs a cluster with mixed_timeshare;
 *              conservative for exact).
 *   avail      Σ_{t on GPU g} tp_t·n_t ≤ available_g;   budget  Σ cost_t·n_t ≤ B.
 *   cuts       clusters the simulator rejected, with everything they dominate (see below).
 * Objective: min Σ cost_t·n_t; or max μ − ε·cost (cheapest among the fastest).
 */
export interface ProvisionModel {
  model: Model;
  /** Instance count variable per type, null where the type is excluded. */
  count: Array<Var | null>;
  /** Routing variables: class, pair index, variable. */
  routes: Array<{ c: number; k: number; v: Var }>;
  mu: Var | null;
  /** Classes with no allowed pair (the model is infeasible when any exists). */
  unroutable: number[];
}

export function buildProvisionModel(problem: ProvisionProblem, options: MilpOptions): ProvisionModel {
  const { types, classes, pairs, ratio } = problem;
  const rho = options.rho;
  if (!(rho > 0 && rho <= 1)) throw new RangeError(`rho ${rho} outside (0, 1]`);
  const maxRate = options.objective === 'max-rate';
  const model = new Model(maxRate ? 'provision_max_rate' : 'provision_min_cost');
  const allowed = (t: number) =>
    (!options.gpus || options.gpus.has(types[t]!.gpu)) &&
    (!options.roles || options.roles.has(types[t]!.role));
  const count = types.map((t) =>
    allowed(t.index) ? model.addVar({ name: `n[${t.key}]`, type: 'integer', lb: 0, ub: 1e4 }) : null,
  );
  const mu = maxRate ? model.addVar({ name: 'mu', lb: 0, ub: options.maxRateMultiplier ?? 1e3 }) : null;

  const prefillLoad = types.map(() => new LinearExpr());
  const slotLoad = types.map(() => new LinearExpr());
  const kvLoad = types.map(() => new LinearExpr());
  const netOut = types.map(() => new LinearExpr());
  const netIn = types.map(() => new LinearExpr());
  const routes: ProvisionModel['routes'] = [];
  const unroutable: number[] = [];

  classes.forEach((cls, c) => {
    const served = new LinearExpr();
    pairs.forEach((pr, k) => {
      if (!count[pr.p] || !count[pr.d]) return;
      if (!(ratio[c]![k]! <= options.latencyLimit)) return;
      if (!Number.isFinite(cls.prefillS[pr.p]!) || !Number.isFinite(cls.decodeS[pr.d]!)) return;
      const v = model.addVar({ name: `y[${cls.id},${types[pr.p]!.key},${types[pr.d]!.key}]` });
      routes.push({ c, k, v });
      served.add(1, v);
      prefillLoad[pr.p]!.add(cls.prefillS[pr.p]!, v);
      slotLoad[pr.d]!.add(cls.decodeS[pr.d]! / types[pr.d]!.decodeSlots, v);
      kvLoad[pr.d]!.add(cls.decodeKvTokenS[pr.d]! / types[pr.d]!.kvCapacityTokens, v);
      netOut[pr.p]!.add(cls.transferBytes / types[pr.p]!.networkBytesPerS, v);
      netIn[pr.d]!.add(cls.transferBytes / types[pr.d]!.networkBytesPerS, v);
    });
    if (served.vars.length === 0 && cls.ratePerS > 0) unroutable.push(c);
    if (mu) model.addConstraint(`demand[${cls.id}]`, served.add(-cls.ratePerS, mu), '=', 0);
    else model.addConstraint(`demand[${cls.id}]`, served, '=', cls.ratePerS);
  });

  types.forEach((t, i) => {
    const n = count[i];
    if (!n) return;
    const cap = (e: LinearExpr) => e.add(-rho, n);
    if (t.role === 'mixed' && options.mixedTimeShare) {
      model.addConstraint(`busy[${t.key}]`, cap(prefillLoad[i]!.addExpr(slotLoad[i]!)), '<=', 0);
    } else {
      if (t.canPrefill) model.addConstraint(`prefill[${t.key}]`, cap(prefillLoad[i]!), '<=', 0);
      if (t.canDecode) model.addConstraint(`slots[${t.key}]`, cap(slotLoad[i]!), '<=', 0);
    }
    if (t.canDecode) model.addConstraint(`kv[${t.key}]`, cap(kvLoad[i]!), '<=', 0);
    if (t.canPrefill) model.addConstraint(`net_out[${t.key}]`, cap(netOut[i]!), '<=', 0);
    if (t.canDecode) model.addConstraint(`net_in[${t.key}]`, cap(netIn[i]!), '<=', 0);
  });

  if (!options.ignoreAvailability) {
    for (const lim of problem.gpuLimits) {
      if (lim.availableGpus === null) continue;
      const used = new LinearExpr();
      types.forEach((t, i) => {
        if (t.gpu === lim.gpu && count[i]) used.add(t.tp, count[i]!);
      });
      if (used.vars.length > 0) model.addConstraint(`avail[${lim.gpu}]`, used, '<=', lim.availableGpus);
    }
  }
  // Simulation cuts: a cluster that missed the target, and every cluster with no more of any
  // type, is excluded (assumption, stated: removing instances never lowers the required scale).
  // Some allowed type must exceed its count in the failed vector: n_t ≥ (f_t + 1)·z_t, Σ z_t ≥ 1.
  (options.excluded ?? []).forEach((f, j) => {
    const pick = new LinearExpr();
    types.forEach((t, i) => {
      const n = count[i];
      if (!n) return;
      const z = model.addVar({ name: `cut${j}[${t.key}]`, type: 'binary' });
      model.addConstraint(`cut${j}_n[${t.key}]`, LinearExpr.of([1, n], [-(f[i]! + 1), z]), '>=', 0);
      pick.add(1, z);
    });
    model.addConstraint(`cut${j}`, pick, '>=', 1);
  });
  const cost = new LinearExpr();
  types.forEach((t, i) => {
    if (count[i]) cost.add(t.costPerHour, count[i]!);
  });
  if (options.budgetPerHour !== undefined) {
    model.addConstraint('budget', LinearExpr.of().addExpr(cost), '<=', options.budgetPerHour);
  }
  if (mu) {
    // ε small enough that one instance's cost never outweighs a 1e-4 gain in μ.
    const eps = 1e-6 / Math.max(1, ...types.map((t) => t.costPerHour));
    model.setObjective('max', LinearExpr.of([1, mu]).addExpr(cost, -eps));
  } else model.setObjective('min', cost);
  return { model, count, routes, mu, unroutable };
}
