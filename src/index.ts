/**
 * hexplan's library API: everything the CLI prints comes from a function exported here, so a
 * notebook can call it with the same result. Grouped by layer.
 */

export {
  type CompareOptions,
  type Comparison,
  compare,
  defaultComparePolicies,
  type PolicySummary,
  type Reduction,
} from './analysis/compare.ts';
export {
  GAP_DEFAULT_TIME_LIMIT_S,
  GAP_MAX_ILP_CALLS,
  type GapOptions,
  type GapPolicy,
  type GapReport,
  runGap,
} from './analysis/gap.ts';
export {
  type RealisticGapOptions,
  type RealisticGapReport,
  runRealisticGap,
} from './analysis/realisticGap.ts';
export { type SearchResult, searchPriorities, tieredPolicy } from './analysis/realisticSearch.ts';
// Sweeps
export { type Cell, gridCells, simulateKey } from './analysis/sweep/cells.ts';
export { type LoadedGrid, loadGrid, SWEEP_POLICY_NAMES } from './analysis/sweep/grid.ts';
export { type QueueWorkerOptions, runQueueWorker } from './analysis/sweep/queue/worker.ts';
export { parseShard, type Shard, shardSlice } from './analysis/sweep/shard.ts';
export { runSweep, type SweepOptions, type SweepSummary } from './analysis/sweep/sweep.ts';
export { makespanCapacityBound, quantileCapacityBound } from './bounds/capacity.ts';
// Independent checks: cheap bounds, the exact oracle, the plan verifier
export { bestCheapBound, type CheapBound, cheapBounds } from './bounds/cheap.ts';
export { type CallFloors, callFloors, RESOURCE_NAMES, type ResourceName } from './bounds/floors.ts';
// Lower bounds valid for the realistic simulator, and the realistic bracket (docs/bounds.md)
export {
  type RealisticBound,
  type RealisticBoundOptions,
  type RealisticSolve,
  realisticLowerBound,
} from './bounds/realisticBound.ts';
export { type RealisticFloors, realisticFloors } from './bounds/realisticFloors.ts';
export { buildRealisticLp, type RealisticLp } from './bounds/realisticLp.ts';
export { type OracleOptions, type OracleResult, solveExact } from './check/oracle/exhaustive.ts';
export { planFromSimulation } from './check/verify/fromSimulation.ts';
export { verifyJson, verifyText } from './check/verify/report.ts';
export { ABS_TOL_S, REL_TOL } from './check/verify/tolerance.ts';
export { type VerifyOptions, type VerifyResult, verifyPlan } from './check/verify/verifyPlan.ts';
// Errors and files
export { HexplanError } from './errors.ts';
export { readJsonFile, toJsonText, writeFileAtomic } from './io/files.ts';
export { buildPlacementModel, type PlacementModel } from './placement/build.ts';
export { replayPlan } from './placement/heuristic.ts';
export { type NamedBound, placementGap, planModelError, solvePlacement } from './placement/solve.ts';
export type { PlacementOptions, PlacementResult } from './placement/types.ts';
// Simulation and online policies
export type { CompiledPlan, Policy, PolicyContext, Scheduler } from './policy/policy.ts';
export { allPolicies, getPolicy, POLICY_NAMES } from './policy/registry.ts';
export { PolicyView } from './policy/view.ts';
// Profiles and the cost model
export {
  ASSUMED_DECODE_CONTEXT_PER_SEQ,
  type CalibrationRow,
  calibrationTable,
  crossGpuCheck,
  derivedFactors,
  deriveEfficiency,
  SPLITWISE_MEASUREMENTS,
} from './profile/calibration.ts';
export { calibrationMarkdown, calibrationReport } from './profile/calibrationReport.ts';
export { type Catalog, loadCatalog } from './profile/catalog.ts';
export { buildCostModel, CostModel, type ResolvedInstance } from './profile/costModel.ts';
export { fitProfile, fitProfileFromCsv, mergeProfiles, type ProfileFit } from './profile/fit.ts';
export { decodeStepMs, kvBytesPerToken, kvCapacityTokens, prefillMs } from './profile/formulas.ts';
export { nonnegativeLeastSquares } from './profile/leastSquares.ts';
export { rooflineProfile } from './profile/roofline.ts';
export { type CallClass, deriveClasses, scaleLoad, workloadSpanS } from './provision/classes.ts';
export { buildProvisionedCluster } from './provision/cluster.ts';
export { type PlanContext, planContext } from './provision/context.ts';
export { buildDemand, problemFor } from './provision/demand.ts';
export { closedLoop, type LoopOptions, type LoopResult } from './provision/loop.ts';
export { buildProvisionModel, type ProvisionModel } from './provision/milp.ts';
export { solveMix } from './provision/mix.ts';
// Provisioning (issue 7)
export {
  BUNDLED_PROVISION_CATALOG,
  loadProvisionSetup,
  PROVISION_CATALOG_SCHEMA,
  ProvisionCatalog,
  type ProvisionSetup,
} from './provision/offers.ts';
export {
  type ProvisionOptions,
  type ProvisionReport,
  provision,
  provisionSweep,
  type SweepPoint,
} from './provision/provision.ts';
export type { ProvisionProblem } from './provision/types.ts';
// Reports
export { provisionCellFigures, provisionSweepFigure } from './report/figures/cost.ts';
export type { Figure } from './report/figures/figure.ts';
export { ganttFigure } from './report/figures/gantt.ts';
export { gapFigures } from './report/figures/gap.ts';
export {
  attainmentFigure,
  gpuUsageFigure,
  groupRows,
  type ResultGroup,
  requiredScaleFigure,
} from './report/figures/sweep.ts';
export { readResults, type SweepRows } from './report/readResults.ts';
export { readTraceCalls } from './report/readTrace.ts';
export { renderSvg } from './report/render.ts';
export { type ReportInputs, type ReportSummary, writeReport } from './report/report.ts';
export { scheduleFromPlan, scheduleFromTrace } from './report/schedule.ts';
export {
  loadCluster,
  loadPlan,
  loadWorkload,
  type ValidationReport,
  validateFile,
} from './scenario/documents.ts';
export {
  DEFAULT_CLUSTER,
  DEFAULT_WORKLOAD,
  loadScenario,
  makeScenario,
  type Scenario,
} from './scenario/scenario.ts';
// File formats (zod schemas double as types)
export * from './schema/catalog.ts';
export * from './schema/cluster.ts';
export { GRID_SCHEMA, Grid } from './schema/grid.ts';
export * from './schema/plan.ts';
export * from './schema/profile.ts';
export { ProvisionSweep, ProvisionSweepPoint } from './schema/provisionSweep.ts';
export * from './schema/results.ts';
export {
  SweepGapLine,
  SweepProvisionLine,
  SweepResultLine,
  SweepSimulateLine,
} from './schema/sweepResult.ts';
export * from './schema/workload.ts';
export { summarize } from './sim/metrics.ts';
export { callRecords } from './sim/records.ts';
export { type SimulateOptions, simulate } from './sim/simulate.ts';
export { type TraceFormat, traceFormatFor, writeTrace } from './sim/traceFile.ts';
export type { CallTrace, InstanceMetrics, SimMetrics, SimMode, SimResult } from './sim/types.ts';
// Analysis
export { attainment, attainmentCurve, mean, median } from './slo/attainment.ts';
export { type ObjectiveValues, objectiveValues } from './slo/objectiveValues.ts';
export { requiredRank, requiredScale } from './slo/quantile.ts';
export type { SolverBackend, SolverName } from './solver/backends/backend.ts';
export { checkHighsSize, estimateHighsBytes, HIGHS_HEAP_LIMIT_BYTES } from './solver/backends/highsMemory.ts';
export { getBackend } from './solver/backends/registry.ts';
export { registerRunner, SOLVER_NAMES } from './solver/backends/runners.ts';
export { type LpWriteOptions, writeLp, writeLpWithNames } from './solver/export/lp.ts';
export { type MpsFormat, type MpsWriteOptions, writeMps, writeMpsWithNames } from './solver/export/mps.ts';
export { readMps } from './solver/export/mpsRead.ts';
export { type ExportNames, exportNames, sanitizeName } from './solver/export/names.ts';
// Optimization
export { LinearExpr, Model, type Var } from './solver/model.ts';
export type { SolveOptions, SolveResult, SolveStatus } from './solver/result.ts';
export { relativeGap } from './solver/result.ts';
export {
  closeIdleWorkers,
  DEFAULT_SOLVER,
  type ExecutionOptions,
  type Isolation,
  type SolveModelOptions,
  solveModel,
} from './solver/solve.ts';
// Workloads
export { Rng, rng } from './util/random.ts';
export { criticalPath, findCycle, indexDag, topologicalOrder } from './workload/dag.ts';
export { type CapacityEstimate, estimateCapacity, rateForLoad } from './workload/generate/capacity.ts';
export { FAMILIES, FAMILY_CHOICES, type Family, type FamilyChoice } from './workload/generate/families.ts';
export {
  type GeneratedWorkload,
  type GenerateOptions,
  generateWorkload,
  workloadJsonText,
} from './workload/generate/generate.ts';
export { fitLengths, loadTokenLengths, type TokenLengths } from './workload/generate/tokenLengths.ts';
export type { ImportResult } from './workload/import/finish.ts';
export type { TraceImporter } from './workload/import/importer.ts';
export { importTrace } from './workload/import/importTrace.ts';
export type { ImportFormat, ImportOptions } from './workload/import/options.ts';
export { getImporter, importFormats, registerImporter } from './workload/import/registry.ts';
export { type ImportSummary, renderSummary } from './workload/import/summary.ts';
export { checkWorkloadOnCluster, standaloneS, standaloneTimesS } from './workload/standalone.ts';
