/**
 * Fraction of a decode instance's free slots (beyond the decode itself) that exact mode assumes
 * busy: exact mode prices a decode at a batch of 1 + EXACT_DECODE_OCCUPANCY·(slots − 1).
 * Fitted by scripts/fit-decode-occupancy.ts to the mean decode batch of realistic runs (hexagent
 * on the bundled loaded workloads); docs/calibration.md records the fit and the exact↔realistic
 * error it leaves. A cluster file may set its own (exact_decode_occupancy).
 */
export const EXACT_DECODE_OCCUPANCY = 0.053;
