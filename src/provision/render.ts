import type { ProvisionReport, SweepPoint } from './provision.ts';

type Counts = Record<string, Record<string, number>> | Record<string, number> | null;

/** "H100-SXM5-80GB 1p+2m, A100-SXM4-80GB 1d" */
export function countsText(counts: Counts): string {
  if (!counts) return '-';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(counts)) {
    if (typeof v === 'number') parts.push(`${v}${k[0]}`);
    else
      parts.push(
        `${k} ${Object.entries(v)
          .map(([role, n]) => `${n}${role[0]}`)
          .join('+')}`,
      );
  }
  return typeof Object.values(counts)[0] === 'number' ? parts.join('+') : parts.join(', ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const money = (x: number | null) => (x === null ? '-' : `$${x.toFixed(2)}/h`);
const num = (x: number | null, d = 3) => (x === null ? '-' : x.toFixed(d));

function loadLine(l: ProvisionReport['load']): string {
  if (l.kind === 'trace')
    return `load: the workload as given (${l.workflows} workflows over ${l.arrivals_span_s.toFixed(1)} s)`;
  if (l.kind === 'burst')
    return `load ×${l.rate_multiplier}: a BURST (the trace compressed, not tiled: ${l.workflows} workflows over ${l.arrivals_span_s.toFixed(1)} s), not a sustained rate`;
  return `load ×${l.rate_multiplier} sustained: ${l.copies} copies of the workload tiled, ${l.workflows} workflows over ${l.arrivals_span_s.toFixed(1)} s`;
}

export function renderProvision(r: ProvisionReport, clusterOut?: string): string {
  const out: string[] = [];
  out.push(
    `provision ${r.workload}: ${r.objective}, scale ≤ ${r.scale} at q=${r.quantile}, verified in ${r.mode} mode with ${r.simulated.policy}` +
      (r.budget_per_hour !== null ? `, budget $${r.budget_per_hour}/h` : ''),
  );
  out.push(loadLine(r.load));
  out.push(
    `model: ${r.model.classes} call classes (token buckets) over ${r.model.span_s.toFixed(1)} s, ` +
      `${r.model.instance_types} instance types, ${r.model.route_pairs} (prefill, decode) pairs; latency share ${r.latency_share}`,
  );
  out.push('');
  out.push(`closed loop (MILP at utilization cap ρ, then ${r.simulated.policy} in ${r.mode} mode):`);
  out.push(
    table(
      [
        '#',
        'phase',
        'rho',
        'mix (instances: p/d/m)',
        'GPUs',
        'cost',
        r.objective === 'max-rate' ? 'load ×' : 'LP bound',
        'predicted',
        'simulated',
        'met',
      ],
      r.iterations.map((it) => [
        String(it.iteration),
        it.phase,
        it.rho.toFixed(3),
        countsText(it.counts),
        String(it.gpus),
        money(it.cost_per_hour),
        r.objective === 'max-rate' ? it.rate_multiplier.toFixed(3) : money(it.lp_cost_per_hour),
        num(it.predicted_scale),
        it.simulated_scale === null
          ? 'not simulated (not cheaper)'
          : num(it.simulated_scale) + (it.simulated_now ? '' : ' (same cluster)'),
        it.simulated_scale === null ? '-' : it.met ? 'yes' : 'no',
      ]),
    ),
  );
  out.push('');
  const verdict = r.verified ? 'VERIFIED' : `NOT VERIFIED (${r.stop_reason})`;
  const rate = r.objective === 'max-rate' ? `, sustains load ×${r.sustained_rate_multiplier}` : '';
  out.push(`${verdict}: ${countsText(r.counts)} = ${r.gpus} GPUs, ${money(r.cost_per_hour)}${rate}`);
  if (r.found_by) {
    const ls = r.local_search;
    out.push(
      // max-rate verifies at the load it sustains, so "the cheapest of the verified" does not apply.
      `found by ${r.found_by}${r.objective === 'max-rate' ? '' : `, the cheapest of ${r.candidates} verified clusters`} (${r.simulations} simulated)` +
        (ls
          ? `; local search: ${ls.accepted} cheaper move(s) kept, ${r.locally_minimal ? 'locally minimal' : `not proven locally minimal (${ls.note})`}`
          : ''),
    );
  }
  out.push(`roles: ${r.roles}`);
  // Whenever the catalog offers mixed instances: how every cluster of the run simulated them.
  if (Object.values(r.model.tp).some((roles) => roles.mixed !== undefined))
    out.push(
      r.mode === 'exact' && r.simulated.mixed_timeshare !== false
        ? 'mixed instances: exact mode runs prefill and decode side by side (its model); the realistic figure shares one GPU (mixed_timeshare)'
        : r.simulated.mixed_timeshare === 'chunked'
          ? 'mixed instances: prefill and decode time-share one GPU by chunked prefill (mixed_timeshare "chunked")'
          : r.simulated.mixed_timeshare
            ? 'mixed instances: prefill and decode time-share one GPU, whole prefill batches first (mixed_timeshare)'
            : 'mixed instances: prefill and decode simulated side by side, as if on a GPU each (--chunked-prefill shares one)',
    );
  out.push(
    `simulated (${r.simulated.policy}, ${r.mode}): scale ${num(r.simulated.scale)} at q=${r.quantile} (target ${r.scale}); ` +
      `exact ${num(r.simulated.exact_scale)}, realistic ${num(r.simulated.realistic_scale)}`,
  );
  const chunked = r.simulated.chunked_prefill_scale;
  if (chunked !== null)
    out.push(
      `with chunked prefill on its mixed instances (a colocating engine, --chunked-prefill): realistic ${num(chunked)}, ` +
        (chunked <= r.scale + 1e-9 ? 'still meets the target' : 'misses the target'),
    );
  if (r.cost_lower_bound !== null) {
    out.push(
      `cost floor ${money(r.cost_lower_bound)}: no catalog cluster costing less can meet the target` +
        (r.gap !== null
          ? `; the answer is at most ${(r.gap * 100).toFixed(1)}% above the cheapest possible`
          : ''),
    );
  }
  if (r.rate_upper_bound !== null)
    out.push(`rate ceiling: no cluster within the budget meets the target above load ×${r.rate_upper_bound}`);
  if (r.objective === 'min-cost' && r.milp_cost_per_hour !== null) {
    out.push(
      `closed-loop MILP decision ${money(r.milp_cost_per_hour)} (its LP relaxation ${money(r.lp_cost_per_hour)} bounds that MILP only)`,
    );
  }
  if (!r.verified) out.push(r.message);
  if (r.homogeneous.length > 0 || r.no_pd) {
    out.push('');
    out.push(
      `baselines (each verified the same way; the answer is never dearer than one that meets the target):`,
    );
    const rows = r.homogeneous.map((h) => [
      `homogeneous ${h.gpu}`,
      countsText(h.counts),
      h.gpus === null ? '-' : String(h.gpus),
      money(h.cost_per_hour),
      h.meets_target ? 'yes' : 'no',
      num(h.realistic_scale),
      savingsText(r.savings_pct[h.gpu] ?? null),
      h.note ?? `${h.simulations} simulations`,
    ]);
    if (r.no_pd) {
      rows.push([
        'no PD (mixed only, Mélange-like)',
        countsText(r.no_pd.counts),
        r.no_pd.gpus === null ? '-' : String(r.no_pd.gpus),
        money(r.no_pd.cost_per_hour),
        r.no_pd.meets_target ? 'yes' : 'no',
        num(r.no_pd.realistic_scale),
        savingsText(r.savings_pct.no_pd ?? null),
        r.no_pd.verified
          ? `closed loop, ${r.no_pd.iterations} iterations`
          : `not verified (${r.no_pd.stop_reason})`,
      ]);
    }
    out.push(table(['baseline', 'mix', 'GPUs', 'cost', 'meets', 'realistic', 'savings', 'note'], rows));
  }
  if (clusterOut) out.push('', `cluster written to ${clusterOut}`);
  return out.join('\n');
}

function savingsText(p: number | null): string {
  return p === null ? '-' : `${p.toFixed(1)}%`;
}

export function renderSweep(points: SweepPoint[]): string {
  const kinds = [...new Set(points.map((p) => p.load.kind))];
  const head = kinds.includes('burst')
    ? 'cost versus load, BURST: each point is the trace compressed (not tiled), sized for a burst, not a sustained rate:'
    : 'cost versus sustained load (each point: the workload tiled to the same horizon, closed loop + local search):';
  return [
    head,
    table(
      ['load ×', 'copies', 'workflows', 'verified', 'mix', 'GPUs', 'cost', 'floor', 'simulated', 'found by'],
      points.map((p) => [
        String(p.rate_multiplier),
        String(p.load.copies),
        String(p.load.workflows),
        p.verified ? 'yes' : `no (${p.stop_reason})`,
        countsText(p.counts),
        p.gpus === null ? '-' : String(p.gpus),
        money(p.cost_per_hour),
        money(p.cost_lower_bound),
        num(p.simulated_scale),
        p.found_by ?? '-',
      ]),
    ),
  ].join('\n');
}
