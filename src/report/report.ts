import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HexplanError } from '../errors.ts';
import { displayPath, readTextFile, toJsonText, writeFileAtomic } from '../io/files.ts';
import type { CallRecord } from '../schema/results.ts';
import { csvRows } from '../util/csv.ts';
import {
  type ProvisionTarget,
  provisionCellFigures,
  provisionSweepFigure,
  targetText,
} from './figures/cost.ts';
import type { Figure } from './figures/figure.ts';
import { ganttFigure } from './figures/gantt.ts';
import { gapFigures } from './figures/gap.ts';
import {
  attainmentFigure,
  gpuUsageFigure,
  groupRows,
  groupTitle,
  requiredScaleFigure,
} from './figures/sweep.ts';
import { gapTable, type HtmlSection, provisionTable, reportHtml, resultsTable } from './html.ts';
import { isProvisionSweepText, parseProvisionSweep } from './readProvision.ts';
import { readResults } from './readResults.ts';
import { renderSvg } from './render.ts';

export interface ReportSummary {
  output: string;
  /** `sweep` for sweep JSON lines, `provision` for `provision --sweep-rates --json` output, `schedule` for a trace alone. */
  kind: 'sweep' | 'provision' | 'schedule';
  runs: number;
  sections: number;
  figures: number;
  /** Every file written, relative to `output`, in writing order. */
  files: string[];
}

/** What a report is made of: a results file, a schedule, or both. */
export interface ReportInputs {
  /** Sweep results (JSON lines) or `provision --sweep-rates --json` output. */
  results?: string;
  /** A schedule for the Gantt chart: calls from a `simulate --trace` file, or a replayed plan. */
  schedule?: { calls: CallRecord[]; source: string };
}

type Output = [name: string, content: string];

/**
 * Builds the report: DIR/index.html (self-contained: inline SVG and CSS, no scripts, no network),
 * DIR/plots/NAME.svg with NAME.csv (the figure's data) beside each, and DIR/results.json (the
 * parsed, sorted rows). Everything is read, validated and rendered in memory first, so a bad
 * input writes nothing; each file is then written atomically.
 */
export async function writeReport(
  inputs: ReportInputs | string,
  outDir: string,
  options: { onFigure?: (done: number, total: number) => void } = {},
): Promise<ReportSummary> {
  const input = typeof inputs === 'string' ? { results: inputs } : inputs;
  if (!input.results && !input.schedule)
    throw new HexplanError('results: give a results file, a schedule, or both');
  const built: Built = {
    kind: 'schedule',
    runs: 0,
    sections: [],
    data: {},
    title: 'hexplan schedule',
    summary: '',
  };
  if (input.results) {
    const text = readTextFile(input.results);
    Object.assign(
      built,
      isProvisionSweepText(text) ? provisionReport(input.results, text) : sweepReport(input.results),
    );
  }
  if (input.schedule) {
    const figure = ganttFigure(input.schedule.calls, input.schedule.source);
    built.sections.push({
      title: 'One schedule',
      intro: `From ${displayPath(input.schedule.source)}.`,
      figures: [figure],
    });
    if (!input.results) built.summary = `${input.schedule.calls.length} calls.`;
  }
  const outputs: Output[] = [];
  const sections: HtmlSection[] = [];
  let figures = 0;
  const total = built.sections.reduce((n, s) => n + s.figures.length, 0);
  for (const s of built.sections) {
    const rendered = [];
    for (const f of s.figures) {
      const svg = await renderSvg(f.spec);
      outputs.push([`plots/${f.name}.svg`, svg], [`plots/${f.name}.csv`, csvRows(f.rows)]);
      rendered.push({ name: f.name, svg, caption: f.caption });
      figures++;
      options.onFigure?.(figures, total);
    }
    sections.push({ ...s, figures: rendered });
  }
  const names = outputs.map(([n]) => n);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`report: two figures named ${dup}`);
  const source = input.results ? displayPath(input.results) : displayPath(input.schedule!.source);
  outputs.push(['results.json', toJsonText({ source, ...built.data })]);
  outputs.push(['index.html', reportHtml({ title: built.title, source, summary: built.summary, sections })]);

  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new HexplanError(`${outDir}: (file): exists and is not a directory`);
  try {
    mkdirSync(join(outDir, 'plots'), { recursive: true });
  } catch (err) {
    throw new HexplanError(`${outDir}: (file): cannot create directory: ${(err as Error).message}`);
  }
  for (const [name, content] of outputs) writeFileAtomic(join(outDir, name), content);
  return {
    output: outDir,
    kind: built.kind,
    runs: built.runs,
    sections: sections.length,
    figures,
    files: names.concat('results.json', 'index.html'),
  };
}

interface BuiltSection extends Omit<HtmlSection, 'figures'> {
  figures: Figure[];
}

interface Built {
  kind: ReportSummary['kind'];
  runs: number;
  title: string;
  summary: string;
  sections: BuiltSection[];
  data: Record<string, unknown>;
}

function sweepReport(resultsFile: string): Built {
  const rows = readResults(resultsFile);
  const sections: BuiltSection[] = [];
  for (const g of groupRows(rows.simulate, rows.gap)) {
    const figures = [requiredScaleFigure(g), attainmentFigure(g), gpuUsageFigure(g)].filter(
      (f): f is Figure => f !== null,
    );
    sections.push({ title: groupTitle(g), figures, tables: [resultsTable(g.rows)] });
  }
  const gapFigs = gapFigures(rows.gap);
  if (gapFigs.length > 0)
    sections.push({
      title: 'Gap to the optimum',
      intro:
        'Every policy’s required scale against the bounds of the optimum that no schedule can beat (LB) and the best verified schedule (UB).',
      figures: gapFigs,
      tables: [gapTable(rows.gap)],
    });
  for (const { target, figure, lines } of provisionCellFigures(rows.provision))
    sections.push({
      title: `Provisioning: ${figure.title.split(': ')[1]}`,
      intro: `${targetText(target)}.`,
      figures: [figure],
      tables: [provisionTable(lines)],
    });
  const n = rows.simulate.length + rows.gap.length + rows.provision.length;
  const parts = [
    `${rows.simulate.length} simulate`,
    ...(rows.gap.length ? [`${rows.gap.length} gap`] : []),
    ...(rows.provision.length ? [`${rows.provision.length} provision`] : []),
  ];
  return {
    kind: 'sweep',
    runs: n,
    title: 'hexplan sweep report',
    summary: `${n} runs (${parts.join(', ')}). SLO scale = latency ÷ standalone time; lower is better. Axes switch to log scale where values span a decade or more.`,
    sections,
    data: { ...rows },
  };
}

function provisionReport(resultsFile: string, text: string): Built {
  const { points, target } = parseProvisionSweep(resultsFile, text);
  const figure = provisionSweepFigure(points, target);
  return {
    kind: 'provision',
    runs: points.length,
    title: 'hexplan provisioning report',
    summary: `${points.length} loads: cheapest verified GPU mix and its LP cost floor.`,
    sections: [
      {
        title: 'Cost versus load',
        intro: `${targetText(target)}.`,
        figures: [figure],
        tables: [provisionTable(points)],
      },
    ],
    data: { ...target, sweep: points },
  };
}

export type { ProvisionTarget };
