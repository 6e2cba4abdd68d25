/**
 * HiGHS (npm `highs`, WebAssembly) through its persistent model API: passModel with a CSR
 * matrix, setSolution for a warm start, callbacks for MIP progress and for stopping at the
 * deadline, getInfo for the dual bound. Translation only; finalize.ts checks the answer.
 *
 * Traps handled here:
 * - HiGHS's time_limit is soft (model loading is not counted, and it was seen running 2–3×
 *   past it), so interrupt callbacks also check the wall-clock deadline; the worker watchdog
 *   (worker client) is the hard stop behind both.
 * - Garbage input can load as an empty model instead of failing: the loaded row, column and
 *   nonzero counts are compared with the model's.
 * - The Wasm heap is 2 GiB: sizes are checked before loading (highsMemory.ts).
 * - "Infeasible or unbounded" is resolved by solving the zero-objective version.
 */
import type { Highs, HighsCallbackMap, Model as HighsModel, InitOptions } from 'highs';

type HighsLoader = (options?: InitOptions) => Promise<Highs>;

import { checkHighsSize } from './highsMemory.ts';
import { feasibilityVersion, isMipPacked, KIND_CONTINUOUS, nonzeros, type PackedModel } from './packed.ts';
import type { RawAnswer, RawProgress, RawRunner, RunnerEntry, RunOptions } from './raw.ts';

let runtime: Promise<Highs> | null = null;

/** One Wasm runtime per thread, loaded on first use. */
export function loadHighsRuntime(): Promise<Highs> {
  runtime ??= import('highs').then((mod) => {
    // The package's types are CommonJS-flavoured while Node loads its ESM build: the loader is
    // `default` at runtime, `default.default` to the type checker.
    const m = mod as unknown as { default: HighsLoader | { default: HighsLoader } };
    const load = typeof m.default === 'function' ? m.default : m.default.default;
    return load();
  });
  return runtime;
}

// Model status codes of the HiGHS C API (highs.constants.modelStatus).
const ST = {
  empty: 6,
  optimal: 7,
  infeasible: 8,
  unboundedOrInfeasible: 9,
  unbounded: 10,
  objectiveBound: 11,
  objectiveTarget: 12,
  timeLimit: 13,
  iterationLimit: 14,
  solutionLimit: 16,
  interrupted: 17,
} as const;

/** Progress events from the MIP log are throttled; improving solutions are always reported. */
const PROGRESS_EVERY_MS = 200;

const runHighs: RawRunner = async (packed, options, onProgress): Promise<RawAnswer> => {
  checkHighsSize(
    {
      numCols: packed.numCols,
      numRows: packed.numRows,
      nonzeros: nonzeros(packed),
      isMip: isMipPacked(packed),
    },
    options.heapLimitBytes,
  );
  const highs = await loadHighsRuntime();
  let first: OnceAnswer;
  try {
    first = solveOnce(highs, packed, options, onProgress);
  } catch (e) {
    // An abort leaves the WebAssembly instance unusable: load a fresh one next time.
    runtime = null;
    throw e;
  }
  if (first.status !== 'infeasible_or_unbounded') return { ...first, status: first.status };
  // Same rows, no objective: feasible there means the original objective is unbounded.
  const probe = solveOnce(highs, feasibilityVersion(packed), { ...options, start: undefined }, () => {});
  if (probe.status === 'optimal') {
    return { status: 'unbounded', objective: null, bound: null, values: null, message: 'HiGHS: unbounded' };
  }
  if (probe.status === 'infeasible' || probe.status === 'infeasible_or_unbounded') {
    return { status: 'infeasible', objective: null, bound: null, values: null, message: 'HiGHS: infeasible' };
  }
  return {
    ...probe,
    status: probe.status === 'time_limit' ? 'time_limit' : 'error',
    values: null,
    objective: null,
    bound: null,
    message: 'HiGHS: infeasible or unbounded, and the feasibility check did not finish',
  };
};

type OnceAnswer = Omit<RawAnswer, 'status'> & { status: RawAnswer['status'] | 'infeasible_or_unbounded' };

function solveOnce(
  highs: Highs,
  packed: PackedModel,
  options: RunOptions,
  onProgress: (p: RawProgress) => void,
): OnceAnswer {
  const model = highs.createModel();
  try {
    return solveLoaded(highs, model, packed, options, onProgress);
  } finally {
    model.dispose();
  }
}

function solveLoaded(
  highs: Highs,
  model: HighsModel,
  packed: PackedModel,
  options: RunOptions,
  onProgress: (p: RawProgress) => void,
): OnceAnswer {
  const startedMs = Date.now();
  const isMip = isMipPacked(packed);
  const inf = highs.infinity;
  const clamp = (a: Float64Array) =>
    a.map((x) => (x === Number.POSITIVE_INFINITY ? inf : x === -Infinity ? -inf : x));
  const settings: Record<string, number | string | boolean> = { output_flag: false, presolve: 'on' };
  const deadlineMs = options.deadlineMs;
  if (deadlineMs !== undefined) settings.time_limit = Math.max(0.01, (deadlineMs - Date.now()) / 1000);
  else if (options.timeLimitS !== undefined) settings.time_limit = options.timeLimitS;
  if (options.mipRelGap !== undefined) settings.mip_rel_gap = options.mipRelGap;
  if (options.lpMethod !== undefined) settings.solver = options.lpMethod;
  model.options.set(settings);

  const integrality = new Int32Array(packed.numCols);
  for (let j = 0; j < packed.numCols; j++) integrality[j] = packed.colKind[j] === KIND_CONTINUOUS ? 0 : 1;
  model.passModel({
    numCols: packed.numCols,
    numRows: packed.numRows,
    sense:
      packed.sense === -1 ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    offset: packed.offset,
    colCost: packed.colCost,
    colLower: clamp(packed.colLower),
    colUpper: clamp(packed.colUpper),
    rowLower: clamp(packed.rowLower),
    rowUpper: clamp(packed.rowUpper),
    matrix: {
      format: 'csr',
      numRows: packed.numRows,
      numCols: packed.numCols,
      starts: packed.rowStart,
      indices: packed.colIndex,
      values: packed.value,
    },
    ...(isMip ? { integrality } : {}),
  });
  const dims = model.getDimensions();
  if (
    dims.numCols !== packed.numCols ||
    dims.numRows !== packed.numRows ||
    dims.numNonzeros > nonzeros(packed)
  ) {
    return errorAnswer(
      `HiGHS loaded ${dims.numRows} rows × ${dims.numCols} columns (${dims.numNonzeros} nonzeros) ` +
        `for a model of ${packed.numRows} × ${packed.numCols} (${nonzeros(packed)}): input rejected`,
    );
  }
  if (options.start && options.start.length === packed.numCols) {
    model.setSolution({ colValue: options.start });
  }

  let lastLogMs = 0;
  const late = () => deadlineMs !== undefined && Date.now() >= deadlineMs;
  const seconds = () => (Date.now() - startedMs) / 1000;
  const T = highs.constants.callbackType;
  const callbacks: HighsCallbackMap = {
    [T.simplexInterrupt]: (e) => {
      if (late()) e.interrupt();
    },
    [T.ipmInterrupt]: (e) => {
      if (late()) e.interrupt();
    },
    ...(isMip
      ? {
          [T.mipInterrupt]: (e) => {
            if (late()) e.interrupt();
          },
          [T.mipImprovingSolution]: (e) => {
            const values = e.data.mip_solution;
            onProgress({
              objective: finite(e.data.objective_function_value ?? e.data.mip_primal_bound),
              bound: finite(e.data.mip_dual_bound),
              seconds: seconds(),
              ...(values ? { values: Float64Array.from(values) } : {}),
            });
          },
          [T.mipLogging]: (e) => {
            const now = Date.now();
            if (now - lastLogMs < PROGRESS_EVERY_MS) return;
            lastLogMs = now;
            onProgress({
              objective: finite(e.data.mip_primal_bound),
              bound: finite(e.data.mip_dual_bound),
              seconds: seconds(),
            });
          },
        }
      : {}),
  };
  model.run(callbacks);

  const status = model.getModelStatus();
  const primalFeasible = Number(model.info.get('primal_solution_status')) === 2;
  const values = primalFeasible ? Float64Array.from(model.getSolution().colValue) : null;
  const objective = values ? model.getObjectiveValue() : null;
  const mipBound = isMip ? finite(Number(model.info.get('mip_dual_bound'))) : null;
  const duals = !isMip && Number(model.info.get('dual_solution_status')) === 2 ? rowPrices(model) : null;

  switch (status) {
    case ST.optimal:
      return { status: 'optimal', objective, bound: isMip ? mipBound : objective, values, duals };
    case ST.infeasible:
      return { status: 'infeasible', objective: null, bound: null, values: null };
    case ST.unbounded:
      return { status: 'unbounded', objective: null, bound: null, values: null };
    case ST.unboundedOrInfeasible:
      return { status: 'infeasible_or_unbounded', objective: null, bound: null, values: null };
    case ST.timeLimit:
    case ST.interrupted:
    case ST.iterationLimit:
    case ST.solutionLimit:
    case ST.objectiveBound:
    case ST.objectiveTarget:
      return {
        status: 'time_limit',
        objective,
        bound: mipBound,
        values,
        message: `HiGHS stopped early (${status === ST.interrupted ? 'deadline reached' : statusName(status)})`,
      };
    case ST.empty:
      return errorAnswer('HiGHS saw an empty model');
    default:
      return errorAnswer(`HiGHS ended with model status ${statusName(status)}`);
  }
}

/**
 * HiGHS's row duals are already d(objective)/d(rhs) in both senses
 * (test/solver/duals.test.ts pins this on an LP whose dual is known).
 */
function rowPrices(model: HighsModel): Float64Array {
  return Float64Array.from(model.getSolution().rowDual);
}

function statusName(code: number): string {
  const names: Record<number, string> = {
    0: 'not set',
    1: 'load error',
    2: 'model error',
    3: 'presolve error',
    4: 'solve error',
    5: 'postsolve error',
    6: 'empty',
    11: 'objective bound reached',
    12: 'objective target reached',
    13: 'time limit',
    14: 'iteration limit',
    15: 'unknown',
    16: 'solution limit',
    17: 'interrupted',
  };
  return names[code] ?? String(code);
}

function errorAnswer(message: string): OnceAnswer {
  return { status: 'error', objective: null, bound: null, values: null, message };
}

function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

export const highsRunner: RunnerEntry = {
  name: 'highs',
  run: runHighs,
  interruptible: true,
  precheck: (p, o) =>
    checkHighsSize(
      { numCols: p.numCols, numRows: p.numRows, nonzeros: nonzeros(p), isMip: isMipPacked(p) },
      o.heapLimitBytes,
    ),
};
