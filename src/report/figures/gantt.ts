import type { CallRecord } from '../../schema/results.ts';
import { CONFIG, type Figure, type Row, SCHEMA, shortName } from './figure.ts';

/** Most calls one chart draws: beyond this the bars are thinner than a pixel and the SVG heavy. */
export const GANTT_MAX_CALLS = 400;

/**
 * One schedule as a Gantt chart: a lane per instance, prefill bars on the prefill instance,
 * the KV transfer and the decode on the decode instance. Decodes batch, so they overlap and are
 * drawn translucent: darker means more sequences at once. Long traces show their first
 * GANTT_MAX_CALLS calls by prefill start (the caption says which window).
 */
export function ganttFigure(calls: readonly CallRecord[], source: string): Figure {
  const sorted = [...calls].sort(
    (a, b) => a.prefill_start_s - b.prefill_start_s || cmp(a.workflow, b.workflow) || cmp(a.call, b.call),
  );
  const shown = sorted.slice(0, GANTT_MAX_CALLS);
  const rows: Row[] = [];
  for (const c of shown) {
    const id = `${c.workflow}/${c.call}`;
    rows.push({
      lane: c.prefill_instance,
      phase: 'prefill',
      start_s: c.prefill_start_s,
      end_s: c.prefill_end_s,
      call: id,
    });
    if (c.transfer_end_s > c.prefill_end_s)
      rows.push({
        lane: c.decode_instance,
        phase: 'KV transfer',
        start_s: c.prefill_end_s,
        end_s: c.transfer_end_s,
        call: id,
      });
    rows.push({
      lane: c.decode_instance,
      phase: 'decode',
      start_s: c.decode_start_s,
      end_s: c.decode_end_s,
      call: id,
    });
  }
  const lanes = [...new Set(rows.map((r) => r.lane as string))].sort(cmp);
  const endS = Math.max(...shown.map((c) => c.decode_end_s));
  const window =
    shown.length < calls.length
      ? `the first ${shown.length} of ${calls.length} calls (prefill starting by ${shown.at(-1)!.prefill_start_s.toFixed(1)} s)`
      : `all ${calls.length} calls`;
  const title = `Schedule: ${shortName(source)}`;
  return {
    name: 'schedule-gantt',
    title,
    caption: `One lane per instance, ${window}, until ${endS.toFixed(1)} s. Decode bars overlap where decodes batch.`,
    rows,
    spec: {
      $schema: SCHEMA,
      title,
      data: { values: rows },
      mark: { type: 'bar', height: { band: 0.8 } },
      width: 720,
      height: Math.max(120, 18 * lanes.length),
      encoding: {
        y: { field: 'lane', type: 'nominal', title: 'instance', sort: lanes },
        x: { field: 'start_s', type: 'quantitative', title: 'time (s)' },
        x2: { field: 'end_s' },
        color: {
          field: 'phase',
          type: 'nominal',
          title: null,
          scale: { domain: ['prefill', 'KV transfer', 'decode'], range: ['#1f77b4', '#ff7f0e', '#2ca02c'] },
        },
        opacity: { condition: { test: "datum.phase === 'decode'", value: 0.35 }, value: 0.9 },
        tooltip: [{ field: 'call' }, { field: 'phase' }, { field: 'start_s' }, { field: 'end_s' }],
      },
      config: CONFIG,
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
