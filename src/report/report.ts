import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { HexplanError } from '../errors.ts';
import { displayPath, readTextFile, toJsonText, writeFileAtomic } from '../io/files.ts';
import { type HtmlSection, provisionTable, reportHtml, resultsTable } from './html.ts';
import { isProvisionSweepText, parseProvisionSweep } from './readProvision.ts';
import { readResults } from './readResults.ts';
import { renderSvg } from './render.ts';
import { groupRows, provisionCostSpec, requiredScaleSpec, tailBarSpec } from './specs.ts';

export interface ReportSummary {
  dir: string;
  /** `sweep` for sweep JSON lines, `provision` for `provision --sweep-rates --json` output. */
  kind: 'sweep' | 'provision';
  runs: number;
  sections: number;
  /** Every file written, relative to `dir`, in writing order. */
  files: string[];
}

/** A file-name fragment: lower-case letters, digits and dashes only. */
function slug(text: string): string {
  return (
    basename(text)
      .replace(/\.json$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

type Output = [name: string, content: string];

/**
 * Builds the report for a sweep results file (or a `provision --sweep-rates --json` file):
 * DIR/index.html (self-contained), DIR/plots/*.svg and DIR/results.json (the parsed, sorted rows). Everything is read, validated and rendered in
 * memory first, so a bad input writes nothing; each file is then written atomically.
 */
export async function writeReport(resultsFile: string, outDir: string): Promise<ReportSummary> {
  const text = readTextFile(resultsFile);
  const built = isProvisionSweepText(text)
    ? await provisionReport(resultsFile, text)
    : await sweepReport(resultsFile);
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new HexplanError(`${outDir}: (file): exists and is not a directory`);
  try {
    mkdirSync(join(outDir, 'plots'), { recursive: true });
  } catch (err) {
    throw new HexplanError(`${outDir}: (file): cannot create directory: ${(err as Error).message}`);
  }
  for (const [name, content] of built.outputs) writeFileAtomic(join(outDir, name), content);
  return {
    dir: outDir,
    kind: built.kind,
    runs: built.runs,
    sections: built.sections,
    files: built.outputs.map(([n]) => n),
  };
}

interface Built {
  kind: ReportSummary['kind'];
  runs: number;
  sections: number;
  outputs: Output[];
}

async function sweepReport(resultsFile: string): Promise<Built> {
  const rows = readResults(resultsFile);
  const outputs: Output[] = [];
  const sections: HtmlSection[] = [];
  const groups = groupRows(rows);
  for (const [i, g] of groups.entries()) {
    const stem = `${String(i + 1).padStart(2, '0')}-${slug(g.workload)}-${slug(g.cluster)}-${g.mode}`;
    const svgs = [await renderSvg(requiredScaleSpec(g)), await renderSvg(tailBarSpec(g))];
    outputs.push([`plots/${stem}-required.svg`, svgs[0]!], [`plots/${stem}-tail.svg`, svgs[1]!]);
    sections.push({ title: `${g.workload} on ${g.cluster} (${g.mode})`, svgs });
  }
  const source = displayPath(resultsFile);
  outputs.push(['results.json', toJsonText({ source, rows })]);
  const summary = `${rows.length} runs. SLO scale = latency ÷ standalone time; lower is better.`;
  outputs.push([
    'index.html',
    reportHtml({ title: 'hexplan sweep report', source, summary, sections, tableHtml: resultsTable(rows) }),
  ]);
  return { kind: 'sweep', runs: rows.length, sections: groups.length, outputs };
}

async function provisionReport(resultsFile: string, text: string): Promise<Built> {
  const points = parseProvisionSweep(resultsFile, text);
  const svg = await renderSvg(provisionCostSpec(points));
  const source = displayPath(resultsFile);
  const summary = `${points.length} rate multipliers: cheapest verified GPU mix and its LP lower bound.`;
  const html = reportHtml({
    title: 'hexplan provisioning report',
    source,
    summary,
    sections: [{ title: 'Cost versus load', svgs: [svg] }],
    tableHtml: provisionTable(points),
  });
  return {
    kind: 'provision',
    runs: points.length,
    sections: 1,
    outputs: [
      ['plots/01-provision-cost.svg', svg],
      ['results.json', toJsonText({ source, sweep: points })],
      ['index.html', html],
    ],
  };
}
