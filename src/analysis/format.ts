/** A plain aligned text table: first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, j) => (j === 0 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Fixed decimals, with "-" for NaN and "inf" for Infinity. */
export function fmt(x: number, digits = 3): string {
  if (Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(digits);
}

export function pct(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '-';
  const text = (x * 100).toFixed(digits);
  return `${/^-0\.?0*$/.test(text) ? text.slice(1) : text}%`; // no "-0.0%"
}
