/**
 * hexplan's library API: everything the CLI prints comes from a function exported here, so a
 * notebook can call it with the same result. Grouped by layer.
 */

// Analysis
export { attainment, attainmentCurve, mean, median } from './analysis/attainment.ts';
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
export { summarize } from './analysis/metrics.ts';
export { requiredRank, requiredScale } from './analysis/quantile.ts';
// Sweeps
export { type Combo, comboKey, gridCombos } from './analysis/sweep/combos.ts';
export { runSweep, type SweepOptions, type SweepSummary } from './analysis/sweep/sweep.ts';
// Errors and files
export { HexplanError } from './errors.ts';
export { readJsonFile, toJsonText, writeFileAtomic } from './io/files.ts';
export { SOLVER_NAMES, type SolverBackend, type SolverName } from './opt/backends/backend.ts';
export { checkHighsSize, estimateHighsBytes, HIGHS_HEAP_LIMIT_BYTES } from './opt/backends/highsMemory.ts';
export { getBackend } from './opt/backends/registry.ts';
export { makespanCapacityBound, quantileCapacityBound } from './opt/bounds/capacity.ts';
// Independent checks: cheap bounds, the exact oracle, the plan verifier
export { bestCheapBound, type CheapBound, cheapBounds } from './opt/bounds/cheap.ts';
export { type CallFloors, callFloors, RESOURCE_NAMES, type ResourceName } from './opt/bounds/floors.ts';
export { type LpWriteOptions, writeLp, writeLpWithNames } from './opt/export/lp.ts';
export { type MpsFormat, type MpsWriteOptions, writeMps, writeMpsWithNames } from './opt/export/mps.ts';
export { readMps } from './opt/export/mpsRead.ts';
export { type ExportNames, exportNames, sanitizeName } from './opt/export/names.ts';
// Optimization
export { LinearExpr, Model, type Var } from './opt/model.ts';
export { type OracleOptions, type OracleResult, solveExact } from './opt/oracle/exact.ts';
export { buildPlacementModel, type PlacementModel } from './opt/placement/build.ts';
export { replayPlan } from './opt/placement/heuristic.ts';
export { type NamedBound, placementGap, planModelError, solvePlacement } from './opt/placement/solve.ts';
export type { PlacementOptions, PlacementResult } from './opt/placement/types.ts';
// Provisioning (issue 7)
export {
  BUNDLED_PROVISION_CATALOG,
  loadProvisionSetup,
  PROVISION_CATALOG_SCHEMA,
  ProvisionCatalog,
  type ProvisionSetup,
} from './opt/provision/catalog.ts';
export { type CallClass, deriveClasses, scaleLoad, workloadSpanS } from './opt/provision/classes.ts';
export { buildProvisionedCluster } from './opt/provision/cluster.ts';
export { type PlanContext, planContext } from './opt/provision/context.ts';
export { buildDemand, problemFor } from './opt/provision/demand.ts';
export { closedLoop, type LoopOptions, type LoopResult } from './opt/provision/loop.ts';
export { buildProvisionModel, type ProvisionModel } from './opt/provision/milp.ts';
export { solveMix } from './opt/provision/mix.ts';
export {
  type ProvisionOptions,
  type ProvisionReport,
  provision,
  provisionSweep,
  type SweepPoint,
} from './opt/provision/provision.ts';
export type { ProvisionProblem } from './opt/provision/types.ts';
export type { SolveOptions, SolveResult, SolveStatus } from './opt/result.ts';
export { relativeGap } from './opt/result.ts';
export {
  closeIdleWorkers,
  DEFAULT_SOLVER,
  type ExecutionOptions,
  type Isolation,
  type SolveModelOptions,
  solveModel,
} from './opt/solve.ts';
export { planFromSimulation } from './opt/verify/fromSimulation.ts';
export { type ObjectiveValues, objectiveValues } from './opt/verify/objectiveValues.ts';
export { verifyJson, verifyText } from './opt/verify/report.ts';
export { ABS_TOL_S, REL_TOL } from './opt/verify/tolerance.ts';
export { type VerifyOptions, type VerifyResult, verifyPlan } from './opt/verify/verifyPlan.ts';
// Simulation and online policies
export type { CompiledPlan, Policy, PolicyContext, Scheduler } from './policy/policy.ts';
export { allPolicies, getPolicy, POLICY_NAMES } from './policy/registry.ts';
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
// Reports
export { readResults } from './report/readResults.ts';
export { renderSvg } from './report/render.ts';
export { type ReportSummary, writeReport } from './report/report.ts';
export {
  groupRows,
  provisionCostSpec,
  type ResultGroup,
  requiredScaleSpec,
  tailBarSpec,
} from './report/specs.ts';
export { DEFAULT_CLUSTER, DEFAULT_WORKLOAD, loadScenario, makeScenario, type Scenario } from './scenario.ts';
// File formats (zod schemas double as types)
export * from './schema/catalog.ts';
export * from './schema/cluster.ts';
export {
  loadCluster,
  loadPlan,
  loadWorkload,
  type ValidationReport,
  validateFile,
} from './schema/documents.ts';
export { GRID_SCHEMA, Grid, type LoadedGrid, loadGrid, SWEEP_POLICY_NAMES } from './schema/grid.ts';
export * from './schema/plan.ts';
export * from './schema/profile.ts';
export { ProvisionSweep, ProvisionSweepPoint } from './schema/provisionSweep.ts';
export * from './schema/results.ts';
export { SweepResultLine } from './schema/sweepResult.ts';
export * from './schema/workload.ts';
export { callRecords } from './sim/records.ts';
export { type SimulateOptions, simulate } from './sim/simulate.ts';
export { type TraceFormat, traceFormatFor, writeTrace } from './sim/traceFile.ts';
export type { CallTrace, InstanceMetrics, SimMetrics, SimMode, SimResult } from './sim/types.ts';
export { PolicyView } from './sim/view.ts';
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
export { importTrace } from './workload/import/importTrace.ts';
export { IMPORT_FORMATS, type ImportFormat, type ImportOptions } from './workload/import/options.ts';
export { type ImportSummary, renderSummary } from './workload/import/summary.ts';
export { checkWorkloadOnCluster, standaloneS, standaloneTimesS } from './workload/standalone.ts';
