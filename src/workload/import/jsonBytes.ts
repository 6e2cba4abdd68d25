import type { Workload } from '../../schema/workload.ts';
import { workloadJsonText } from '../generate/generate.ts';

/** Workflows serialized per chunk: each chunk's text stays far below V8's string limit. */
const CHUNK = 20_000;

/**
 * The bytes `workloadJsonText` would produce (pretty up to 200 workflows, one workflow per line
 * beyond), assembled from per-chunk buffers: a single JS string tops out near 512 MiB, which a
 * few million imported workflows would exceed, while a Buffer holds up to 4 GiB.
 */
export function workloadJsonBytes(workload: Workload): Uint8Array {
  if (workload.workflows.length <= 200) return Buffer.from(workloadJsonText(workload));
  const { workflows, ...head } = workload;
  const parts: Buffer[] = [
    Buffer.from(`${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "workflows": [\n`),
  ];
  for (let from = 0; from < workflows.length; from += CHUNK) {
    const lines = workflows.slice(from, from + CHUNK).map((wf) => `    ${JSON.stringify(wf)}`);
    const last = from + CHUNK >= workflows.length;
    parts.push(Buffer.from(`${lines.join(',\n')}${last ? '\n' : ',\n'}`));
  }
  parts.push(Buffer.from('  ]\n}\n'));
  return Buffer.concat(parts);
}
