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

export function renderProvision(r: ProvisionReport, clusterOut?: string): string {
  const out: string[] = [];
  out.push(
    `provision ${r.workload}: ${r.objective}, scale ≤ ${r.scale} at q=${r.quantile}, load ×${r.rate_multiplier}` +
      (r.budget_per_hour !== null ? `, budget $${r.budget_per_hour}/h` : ''),
  );
  out.push(
    `model: ${r.model.classes} call classes (token buckets) over ${r.model.span_s.toFixed(1)} s, ` +
      `${r.model.instance_types} instance types, ${r.model.route_pairs} (prefill, decode) pairs; latency share ${r.latency_share}`,
  );
  out.push('');
  out.push('iterations (closed loop: MILP at utilization cap ρ, then hexagent simulation):');
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
        'realistic',
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
        num(it.realistic_scale),
        it.simulated_scale === null ? '-' : it.met ? 'yes' : 'no',
      ]),
    ),
  );
  out.push('');
  const verdict = r.verified ? 'VERIFIED' : `NOT VERIFIED (${r.stop_reason})`;
  const rate = r.objective === 'max-rate' ? `, sustains load ×${r.sustained_rate_multiplier}` : '';
  out.push(`${verdict}: ${countsText(r.counts)} = ${r.gpus} GPUs, ${money(r.cost_per_hour)}${rate}`);
  if (r.objective === 'min-cost') {
    out.push(
      `MILP decision ${money(r.milp_cost_per_hour)}; its LP relaxation (fractional GPUs, a lower bound on the MILP) ` +
        money(r.lp_cost_per_hour) +
        (r.milp_cost_per_hour !== null && r.cost_per_hour < r.milp_cost_per_hour - 1e-9
          ? '; trimmed further by simulation'
          : ''),
    );
  }
  out.push(
    `simulated (hexagent, exact): scale ${num(r.simulated.scale)} at q=${r.quantile} (target ${r.scale}); realistic mode ${num(r.simulated.realistic_scale)}`,
  );
  if (!r.verified) out.push(r.message);
  if (r.homogeneous.length > 0 || r.no_pd) {
    out.push('');
    out.push('baselines meeting the same target:');
    const rows = r.homogeneous.map((h) => [
      `homogeneous ${h.gpu}`,
      countsText(h.counts),
      h.gpus === null ? '-' : String(h.gpus),
      money(h.cost_per_hour),
      num(h.simulated_scale),
      savingsText(r.savings_pct[h.gpu] ?? null),
      h.note ?? `${h.simulations} simulations`,
    ]);
    if (r.no_pd) {
      rows.push([
        'no PD (mixed only, Mélange-like)',
        countsText(r.no_pd.counts),
        r.no_pd.gpus === null ? '-' : String(r.no_pd.gpus),
        money(r.no_pd.cost_per_hour),
        num(r.no_pd.simulated_scale),
        savingsText(r.savings_pct.no_pd ?? null),
        r.no_pd.verified
          ? `verified in ${r.no_pd.iterations} iterations`
          : `not verified (${r.no_pd.stop_reason})`,
      ]);
    }
    out.push(table(['baseline', 'mix', 'GPUs', 'cost', 'simulated', 'savings', 'note'], rows));
  }
  if (clusterOut) out.push('', `cluster written to ${clusterOut}`);
  return out.join('\n');
}

function savingsText(p: number | null): string {
  return p === null ? '-' : `${p.toFixed(1)}%`;
}

export function renderSweep(points: SweepPoint[]): string {
  return [
    'cost versus load (closed loop at each rate multiplier):',
    table(
      ['load ×', 'verified', 'mix', 'GPUs', 'cost', 'LP bound', 'simulated', 'iterations'],
      points.map((p) => [
        String(p.rate_multiplier),
        p.verified ? 'yes' : `no (${p.stop_reason})`,
        countsText(p.counts),
        p.gpus === null ? '-' : String(p.gpus),
        money(p.cost_per_hour),
        money(p.lp_cost_per_hour),
        num(p.simulated_scale),
        String(p.iterations),
      ]),
    ),
  ].join('\n');
}
