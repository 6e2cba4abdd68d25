import { basename } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';

export type Row = Record<string, string | number | boolean | null>;

/** One plot: its spec and the rows it draws, which are also written beside it as CSV. */
export interface Figure {
  /** File stem under plots/ (lower-case, digits, dashes). */
  name: string;
  title: string;
  /** What to read off it, one sentence, shown under the figure. */
  caption: string;
  spec: TopLevelSpec;
  rows: Row[];
}

// Fixed sizes and fonts: the SVG must not depend on the machine's fonts or a canvas.
export const CONFIG = {
  font: 'sans-serif',
  view: { continuousWidth: 300, continuousHeight: 200 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
  legend: { labelLimit: 0 },
} as const;

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** The policy the project is about: drawn first, thicker and in one colour no baseline uses. */
export const HIGHLIGHT = 'hexagent';
const HIGHLIGHT_COLOR = '#d62728';
const OTHER_COLORS = [
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#ff7f0e',
];

/** A colour scale with hexagent first in red, the other policies in a fixed palette. */
export function policyColor(policies: readonly string[], title = 'policy') {
  const domain = [...new Set(policies)].sort((a, b) =>
    a === HIGHLIGHT ? -1 : b === HIGHLIGHT ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  let k = 0;
  const range = domain.map((p) =>
    p === HIGHLIGHT ? HIGHLIGHT_COLOR : OTHER_COLORS[k++ % OTHER_COLORS.length]!,
  );
  return { field: 'policy', type: 'nominal' as const, title, scale: { domain, range } };
}

/** Thicker lines (or outlined bars) for hexagent. */
export const highlightWidth = (wide: number, thin: number) => ({
  condition: { test: `datum.policy === '${HIGHLIGHT}'`, value: wide },
  value: thin,
});

/**
 * A log scale when positive values span a decade or more (one overloaded policy at ×350 would
 * flatten every other line on a linear axis), else a linear one that need not start at 0.
 */
export function valueScale(
  values: ReadonlyArray<number | null | undefined>,
): { type: 'log' } | { zero: false } {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return xs.length > 0 && min > 0 && max / min >= 10 ? { type: 'log' } : { zero: false };
}

/** `instances/workloads/small.json` → `small`: titles name files the way people say them. */
export function shortName(file: string): string {
  return basename(file).replace(/\.json$/i, '');
}

/** A file-name fragment: lower-case letters, digits and dashes only. */
export function slug(text: string): string {
  return (
    shortName(text)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** The load axis every vs-load figure shares (log once loads span a decade). */
export function loadAxis(rows: readonly Row[]) {
  return {
    field: 'rate_multiplier',
    type: 'quantitative' as const,
    title: 'load (× arrival rate)',
    scale: valueScale(rows.map((r) => r.rate_multiplier as number)),
  };
}

/** Items grouped by a key, groups in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => unknown): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const id = JSON.stringify(key(item));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push(item);
  }
  return [...groups.values()];
}
