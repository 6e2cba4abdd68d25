import { csvText } from '../util/csv.ts';
import type { ProvisionOutcome } from './provision.ts';
import { countsText } from './render.ts';

const COLUMNS = [
  'label',
  'gpus',
  'roles',
  'cost_per_hour',
  'simulated_scale',
  'realistic_scale',
  'meets_target',
  'found_by',
] as const;

/**
 * `provision --csv`: the answer, each baseline, then every cluster the searches simulated (met
 * or not), one row each. `simulated_scale` is in the verifier's mode; `realistic_scale` is
 * filled where a realistic simulation gave it.
 */
export function provisionCsv(outcome: ProvisionOutcome): string {
  const r = outcome.report;
  const realistic = r.mode === 'realistic';
  const rows: Array<Record<(typeof COLUMNS)[number], string | number | boolean | null>> = [
    {
      label: 'answer',
      gpus: r.gpus,
      roles: countsText(r.counts),
      cost_per_hour: r.cost_per_hour,
      simulated_scale: r.simulated.scale,
      realistic_scale: r.simulated.realistic_scale,
      meets_target: r.verified,
      found_by: r.found_by,
    },
  ];
  for (const h of r.homogeneous) {
    rows.push({
      label: `homogeneous:${h.gpu}`,
      gpus: h.gpus,
      roles: countsText(h.counts),
      cost_per_hour: h.cost_per_hour,
      simulated_scale: h.simulated_scale,
      realistic_scale: h.realistic_scale,
      meets_target: h.meets_target,
      found_by: `homogeneous:${h.gpu}`,
    });
  }
  if (r.no_pd) {
    rows.push({
      label: 'no-pd',
      gpus: r.no_pd.gpus,
      roles: countsText(r.no_pd.counts),
      cost_per_hour: r.no_pd.cost_per_hour,
      simulated_scale: r.no_pd.simulated_scale,
      realistic_scale: r.no_pd.realistic_scale,
      meets_target: r.no_pd.meets_target,
      found_by: 'no-pd',
    });
  }
  for (const c of outcome.simulated) {
    rows.push({
      label: 'simulated',
      gpus: c.gpus,
      roles: countsText(c.counts),
      cost_per_hour: c.cost_per_hour,
      simulated_scale: c.scale,
      realistic_scale: realistic ? c.scale : null,
      meets_target: c.meets_target,
      found_by: c.found_by,
    });
  }
  return csvText(COLUMNS, rows);
}
