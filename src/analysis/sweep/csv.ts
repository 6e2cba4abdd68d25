import { SweepGapLine, SweepProvisionLine, SweepSimulateLine } from '../../schema/sweepResult.ts';
import { type CsvValue, csvText } from '../../util/csv.ts';

/**
 * `sweep --csv`: the results file as one long table, one row per cell × policy × quantile, so a
 * plot is a filter and a group-by. Columns a cell kind has no value for are empty.
 */
export const SWEEP_CSV_COLUMNS = [
  'key',
  'kind',
  'workload',
  'cluster',
  'rate_multiplier',
  'mode',
  'policy',
  'quantile',
  'scale',
  'p50',
  'p95',
  'p99',
  'mean',
  'makespan_s',
  'lower_bound',
  'upper_bound',
  'gap_upper_pct',
  'gap_lower_pct',
  'status',
  'verified',
  'gpus',
  'cost_per_hour',
] as const;

type Row = Partial<Record<(typeof SWEEP_CSV_COLUMNS)[number], CsvValue>>;

function simulateRows(l: SweepSimulateLine): Row[] {
  const common: Row = {
    key: l.key,
    kind: 'simulate',
    workload: l.workload,
    cluster: l.cluster,
    rate_multiplier: l.rate_multiplier,
    mode: l.mode,
    policy: l.policy,
    p50: l.p50,
    p95: l.p95,
    p99: l.p99,
    mean: l.mean,
    makespan_s: l.makespan_s,
    cost_per_hour: l.cost_per_hour ?? null,
  };
  return Object.entries(l.required).map(([q, scale]) => ({ ...common, quantile: Number(q), scale }));
}

function gapRows(l: SweepGapLine): Row[] {
  return l.policies.map((p) => {
    const pct = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : null);
    return {
      key: l.key,
      kind: 'gap',
      workload: l.workload,
      cluster: l.cluster,
      rate_multiplier: l.rate_multiplier,
      mode: l.mode,
      policy: p.name,
      quantile: l.quantile,
      scale: p.scale,
      lower_bound: l.lower_bound,
      upper_bound: l.upper_bound,
      gap_upper_pct: pct('gap_upper_pct'),
      gap_lower_pct: pct('gap_lower_pct'),
      status: l.status,
      verified: typeof p.verified === 'boolean' ? p.verified : null,
    };
  });
}

function provisionRows(l: SweepProvisionLine): Row[] {
  return [
    {
      key: l.key,
      kind: 'provision',
      workload: l.workload,
      rate_multiplier: l.rate_multiplier,
      quantile: l.quantile,
      scale: l.scale,
      lower_bound: l.lp_cost_per_hour,
      status: l.stop_reason,
      verified: l.verified,
      gpus: l.gpus,
      cost_per_hour: l.cost_per_hour,
    },
  ];
}

/** The CSV text of results lines (each a JSON object as `hexplan sweep` writes them). */
export function sweepCsv(lines: readonly string[]): string {
  const rows: Row[] = [];
  for (const text of lines) {
    const value = JSON.parse(text) as { kind?: unknown };
    if (value.kind === 'gap') rows.push(...gapRows(SweepGapLine.parse(value)));
    else if (value.kind === 'provision') rows.push(...provisionRows(SweepProvisionLine.parse(value)));
    else rows.push(...simulateRows(SweepSimulateLine.parse(value)));
  }
  const full = rows.map((r) => Object.fromEntries(SWEEP_CSV_COLUMNS.map((c) => [c, r[c] ?? null])));
  return csvText(SWEEP_CSV_COLUMNS, full);
}
