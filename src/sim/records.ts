import type { CallRecord } from '../schema/results.ts';
import type { SimResult } from './types.ts';

/** The per-call records of a run, in workload order (materialized from the columnar trace). */
export function callRecords(result: SimResult): CallRecord[] {
  const t = result.trace;
  const ids = result.instanceIds;
  const out: CallRecord[] = [];
  let c = 0;
  for (const wf of result.workload.workflows) {
    for (const call of wf.calls) {
      out.push({
        workflow: wf.id,
        call: call.id,
        ready_s: t.readyS[c]!,
        prefill_instance: ids[t.prefillInstance[c]!]!,
        prefill_start_s: t.prefillStartS[c]!,
        prefill_end_s: t.prefillEndS[c]!,
        transfer_end_s: t.transferEndS[c]!,
        decode_instance: ids[t.decodeInstance[c]!]!,
        decode_start_s: t.decodeStartS[c]!,
        decode_end_s: t.decodeEndS[c]!,
      });
      c++;
    }
  }
  return out;
}
