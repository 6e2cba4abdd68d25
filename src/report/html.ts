import type { ProvisionSweepPoint } from '../schema/provisionSweep.ts';
import type { SweepResultLine } from '../schema/sweepResult.ts';

/** One section of the page: a (workload, cluster, mode) group and its rendered plots. */
export interface HtmlSection {
  title: string;
  /** SVG documents from renderSvg, inlined as they are (Vega escapes the text it draws). */
  svgs: string[];
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

/** Every sweep run, one row each. */
export function resultsTable(rows: readonly SweepResultLine[]): string {
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
      r.workload,
      r.cluster,
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

/** Cost versus load points from `provision --sweep-rates --json`. */
export function provisionTable(points: readonly ProvisionSweepPoint[]): string {
  const opt = (x: number | null) => (x === null ? '' : num(x));
  return table(
    [
      'rate ×',
      'verified',
      'stop reason',
      'cost ($/h)',
      'LP bound ($/h)',
      'GPUs',
      'simulated scale',
      'iterations',
    ],
    points.map((p) => [
      num(p.rate_multiplier),
      p.verified ? 'yes' : 'no',
      p.stop_reason,
      opt(p.cost_per_hour),
      opt(p.lp_cost_per_hour),
      opt(p.gpus),
      opt(p.simulated_scale),
      num(p.iterations),
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
figure{margin:1em 0}svg{max-width:100%;height:auto}`;

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
  /** The table of every input row, already HTML (resultsTable or provisionTable). */
  tableHtml: string;
}): string {
  const sections = input.sections.map(
    (s) =>
      `<section>\n<h2>${escapeHtml(s.title)}</h2>\n${s.svgs.map((svg) => `<figure>${svg}</figure>`).join('\n')}\n</section>`,
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
<section>
<h2>All rows</h2>
${input.tableHtml}
</section>
</body>
</html>
`;
}
