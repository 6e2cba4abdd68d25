import type { Policy } from '../policy/policy.ts';

/**
 * A schedule fixed call by call, as the placement search builds and the realistic simulator
 * replays it: where each stage runs, its queue keys, and optionally a hold and batch caps.
 */
export interface Assignment {
  prefill: Int32Array;
  decode: Int32Array;
  prefillKey: Float64Array;
  decodeKey: Float64Array;
  /** Neither stage starts before these times (0: no hold). */
  prefillNotBeforeS: Float64Array;
  decodeNotBeforeS: Float64Array;
  /** The largest decode batch the call shares (StageOptions.decodeBatchCap; 0: the slots). */
  decodeBatchCap: Int32Array;
  /** The most prompt tokens of a prefill batch the call is in (0: the token budget). */
  prefillBatchTokenCap: Int32Array;
}

export function copyAssignment(a: Assignment): Assignment {
  return {
    prefill: a.prefill.slice(),
    decode: a.decode.slice(),
    prefillKey: a.prefillKey.slice(),
    decodeKey: a.decodeKey.slice(),
    prefillNotBeforeS: a.prefillNotBeforeS.slice(),
    decodeNotBeforeS: a.decodeNotBeforeS.slice(),
    decodeBatchCap: a.decodeBatchCap.slice(),
    prefillBatchTokenCap: a.prefillBatchTokenCap.slice(),
  };
}

/** The realistic-mode policy that applies a fixed assignment to each call when it is ready. */
export function assignmentPolicy(a: Assignment): Policy {
  return {
    name: 'assignment',
    description: 'applies a fixed per-call placement and queue order (realistic search)',
    create(view) {
      return {
        place(calls) {
          for (const c of calls)
            view.assign(c, a.prefill[c]!, a.decode[c]!, a.prefillKey[c]!, {
              decodePriority: a.decodeKey[c]!,
              prefillNotBeforeS: a.prefillNotBeforeS[c]!,
              decodeNotBeforeS: a.decodeNotBeforeS[c]!,
              ...(a.decodeBatchCap[c]! > 0 ? { decodeBatchCap: a.decodeBatchCap[c]! } : {}),
              ...(a.prefillBatchTokenCap[c]! > 0 ? { prefillBatchTokenCap: a.prefillBatchTokenCap[c]! } : {}),
            });
        },
      };
    },
  };
}
