import type { ProvisionSweepPoint } from '../schema/provisionSweep.ts';
import type { SweepGapLine, SweepProvisionLine, SweepSimulateLine } from '../schema/sweepResult.ts';
import { mixText } from './figures/cost.ts';
import { shortName } from './figures/figure.ts';

/** A rendered figure: its SVG (Vega escapes the text it draws), caption and file names. */
export interface HtmlFigure {
  name: string;
  svg: string;
  caption: string;
}

/** One section of the page: a heading, a line of context, its figures and tables. */
export interface HtmlSection {
  title: string;
  intro?: string;
  figures: HtmlFigure[];
  /** Tables, already HTML. */
  tables?: string[];
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** 4 significant digits, trailing zeros dropped: enough to compare policies, short enough to read. */
function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** Every simulate run, one row each. */
export function resultsTable(rows: readonly SweepSimulateLine[]): string {
  const quantiles = [...new Set(rows.flatMap((r) => Object.keys(r.required)))].sort(
    (a, b) => Number(a) - Number(b),
  );
  return table(
    [
      'workload',
      'cluster',
      'mode',
      'policy',
      'rate ×',
      'workflows',
      'calls',
      'p50',
      'p95',
      'p99',
      'mean',
      ...quantiles.map((q) => `required @ ${q}`),
      'makespan (s)',
    ],
    rows.map((r) => [
      shortName(r.workload),
      shortName(r.cluster),
      r.mode,
      r.policy,
      num(r.rate_multiplier),
      num(r.workflows),
      num(r.calls),
      num(r.p50),
      num(r.p95),
      num(r.p99),
      num(r.mean),
      ...quantiles.map((q) => (r.required[q] === undefined ? '' : num(r.required[q]))),
      num(r.makespan_s),
    ]),
  );
}

const opt = (x: number | null | undefined) => (x === null || x === undefined ? '' : num(x));

/** Gap cells: the bounds and every policy's scale, one row per policy. */
export function gapTable(rows: readonly SweepGapLine[]): string {
  return table(
    [
      'workload',
      'cluster',
      'mode',
      'load ×',
      'q',
      'status',
      'LB',
      'LB from',
      'UB',
      'UB from',
      'policy',
      'scale',
      'gap to LB %',
    ],
    rows.flatMap((g) =>
      g.policies.map((p) => [
        shortName(g.workload),
        shortName(g.cluster),
        g.mode,
        num(g.rate_multiplier),
        num(g.quantile),
        g.status,
        opt(g.lower_bound),
        g.lower_bound_source,
        opt(g.upper_bound),
        g.upper_bound_source,
        p.name,
        num(p.scale),
        opt(p.gap_upper_pct as number | null | undefined),
      ]),
    ),
  );
}

/** Cost versus load points (provision cells or `provision --sweep-rates --json`), with the chosen mix. */
export function provisionTable(points: ReadonlyArray<ProvisionSweepPoint | SweepProvisionLine>): string {
  return table(
    [
      'load ×',
      'verified',
      'stop reason',
      'mix',
      'GPUs',
      'cost ($/h)',
      'LP floor ($/h)',
      'simulated scale',
      'iterations',
    ],
    points.map((p) => [
      num(p.rate_multiplier),
      p.verified ? 'yes' : 'no',
      p.stop_reason,
      mixText(p.counts as Record<string, Record<string, number>> | null | undefined),
      opt(p.gpus),
      opt(p.cost_per_hour),
      opt(p.lp_cost_per_hour),
      opt(p.simulated_scale as number | null | undefined),
      opt(p.iterations as number | undefined),
    ]),
  );
}

function table(head: readonly string[], rows: readonly string[][]): string {
  const body = rows.map((cells) => `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`);
  return [
    '<table>',
    `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

const STYLE = `body{font-family:sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f3f3f3}td:nth-child(-n+4){text-align:left}
figure{margin:1.5em 0}svg{max-width:100%;height:auto}
figcaption{font-size:13px;color:#555;max-width:60em}
.intro{color:#444}section{margin-bottom:2.5em}`;

/**
 * The whole report as one self-contained page: inline SVG plots, inline CSS, no scripts and no
 * external resources, so it opens offline and can be attached to an email.
 */
export function reportHtml(input: {
  title: string;
  source: string;
  sections: readonly HtmlSection[];
  /** What the input holds, one sentence (escaped here). */
  summary: string;
}): string {
  const figure = (f: HtmlFigure) =>
    `<figure id="${f.name}">${f.svg}<figcaption>${escapeHtml(f.caption)} <a href="plots/${f.name}.csv">data (CSV)</a> · <a href="plots/${f.name}.svg">SVG</a></figcaption></figure>`;
  const sections = input.sections.map((s) =>
    [
      '<section>',
      `<h2>${escapeHtml(s.title)}</h2>`,
      ...(s.intro ? [`<p class="intro">${escapeHtml(s.intro)}</p>`] : []),
      ...s.figures.map(figure),
      ...(s.tables ?? []),
      '</section>',
    ].join('\n'),
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>Source: <code>${escapeHtml(input.source)}</code> — ${escapeHtml(input.summary)}</p>
${sections.join('\n')}
</body>
</html>
`;
}
