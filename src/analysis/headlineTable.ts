import { fmt, formatTable, pct } from './format.ts';
import type { Headline } from './headline.ts';

/** The paper's table as measured: mean and max reduction per baseline, the paper's figures beside. */
export function headlineTable(h: Headline): string {
  const rows = h.rows.map((r) => [
    r.versus + (h.set_aside.includes(r.versus) ? ' (strawman)' : ''),
    pct(r.p95.mean),
    pct(r.p95.max),
    pct(r.p95.min),
    pct(r.p99.mean),
    pct(r.p99.max),
    pct(r.p99.min),
  ]);
  rows.push([
    'paper (vs baselines)',
    pct(h.paper.p95.mean),
    pct(h.paper.p95.max),
    '',
    pct(h.paper.p99.mean),
    pct(h.paper.p99.max),
    '',
  ]);
  return formatTable(
    ['hexagent vs', 'p95 mean', 'p95 max', 'p95 min', 'p99 mean', 'p99 max', 'p99 min'],
    rows,
  );
}

/** Cells (load ≤ 1) where hexagent's p95 is more than 5% above the best fair baseline's. */
export function lossesTable(h: Headline): string {
  if (h.losses.length === 0)
    return 'no cell with load ≤ 1.0 where hexagent exceeds 1.05 × the best fair baseline (p95)';
  return formatTable(
    ['family', 'cluster', 'load', 'mode', 'best baseline', 'hexagent / best (p95)'],
    h.losses.map((l) => [l.family, l.cluster, fmt(l.load, 1), l.mode, l.best, fmt(l.ratio, 3)]),
  );
}

/** The reduction statistic named, the cells counted, and which baselines were left out. */
export function headlineNote(h: Headline): string {
  const modes = [...new Set(h.cells.map((c) => c.mode))].join(', ');
  const aside =
    h.set_aside.length > 0 ? ` "all (fair)" leaves out the strawman ${h.set_aside.join(', ')}.` : '';
  return (
    `Reduction of the required SLO scale, (k_baseline − k_hexagent) / k_baseline, over ${h.cells.length} cells ` +
    `(${modes}); mean, max and min over cells.${aside}`
  );
}
