/**
 * hexplan's library API, the surface docs/library.md documents: what a notebook or script needs
 * to load, validate, generate, import, simulate, compare, bound, plan, verify, provision, sweep
 * and report, with the types of their options and results. Every number the CLI prints comes
 * from one of these functions. Everything else under src/ is internal and may change.
 */

export {
  type CompareOptions,
  type Comparison,
  compare,
  type PolicySummary,
} from './analysis/compare.ts';
// Bound, plan and verify (exact mode)
export { type GapOptions, type GapPolicy, type GapReport, runGap } from './analysis/gap.ts';
// Sweep and report
export { type Headline, headlineFromResults, runHeadline } from './analysis/headline.ts';
// The realistic bracket (docs/bounds.md)
export {
  type RealisticGapOptions,
  type RealisticGapReport,
  runRealisticGap,
} from './analysis/realisticGap.ts';
export { loadGrid } from './analysis/sweep/grid.ts';
export { runQueueWorker } from './analysis/sweep/queue/lazyWorker.ts';
export type { QueueWorkerOptions } from './analysis/sweep/queue/worker.ts';
export { runSweep, type SweepOptions, type SweepSummary } from './analysis/sweep/sweep.ts';
export { validateAnyFile as validateFile } from './analysis/validateAny.ts';
export { type CheapBound, cheapBounds } from './bounds/cheap.ts';
export {
  type RealisticBound,
  type RealisticBoundOptions,
  realisticLowerBound,
} from './bounds/realisticBound.ts';
export { type VerifyOptions, type VerifyResult, verifyPlan } from './check/verify/verifyPlan.ts';
// Errors and outputs
export { HexplanError } from './errors.ts';
export { readJsonFile, toJsonText, writeFileAtomic } from './io/files.ts';
export { objectiveNames } from './objective/registry.ts';
export { buildPlacementModel, solvePlacement } from './placement/solve.ts';
export type { PlacementOptions, PlacementResult } from './placement/types.ts';
// Simulate and compare online policies
export { POLICY_NAMES } from './policy/registry.ts';
// Profiles
export { builtinProfile } from './profile/builtin.ts';
export { calibrationReport } from './profile/calibrationReport.ts';
// Load and validate
export { type Catalog, loadCatalog } from './profile/catalog.ts';
export { fitProfileFromCsv, type ProfileFit } from './profile/fit.ts';
export { profileReport } from './profile/profileReport.ts';
// Provision
export { type CostFloor, costFloor } from './provision/floor.ts';
export { loadProvisionSetup, type ProvisionSetup } from './provision/offers.ts';
export {
  type ProvisionOptions,
  type ProvisionOutcome,
  type ProvisionReport,
  provision,
  provisionSweep,
  type SweepPoint,
} from './provision/provision.ts';
export { type LoadShape, sustainedLoad } from './provision/sustain.ts';
export { readResults } from './report/readResults.ts';
export { type ReportSummary, writeReport } from './report/report.ts';
export {
  loadCluster,
  loadPlan,
  loadWorkload,
  type ValidationReport,
} from './scenario/documents.ts';
export {
  DEFAULT_CLUSTER,
  DEFAULT_WORKLOAD,
  loadScenario,
  makeScenario,
  type Scenario,
} from './scenario/scenario.ts';
// File formats: each zod schema is also the TypeScript type of the document it parses
export { Gpu, GpuCatalog, Llm, LlmCatalog } from './schema/catalog.ts';
export { Cluster, Instance, Role } from './schema/cluster.ts';
export { FILE_FORMATS, type FileFormat, fileFormat, jsonSchemaOf } from './schema/formats.ts';
export { Grid } from './schema/grid.ts';
export { outputSchemaId, withSchema } from './schema/output.ts';
export { Objective, Plan, PlannedCall } from './schema/plan.ts';
export { Profile, Profiles } from './schema/profile.ts';
export { ProvisionSweep } from './schema/provisionSweep.ts';
export { CallRecord, WorkflowResult } from './schema/results.ts';
export { SweepResultLine } from './schema/sweepResult.ts';
export { Call, Workflow, Workload } from './schema/workload.ts';
export { type SimulateOptions, simulate } from './sim/simulate.ts';
export { type TraceFormat, writeTrace } from './sim/traceFile.ts';
export type { InstanceMetrics, SimMetrics, SimMode, SimResult } from './sim/types.ts';
export { attainment, attainmentCurve } from './slo/attainment.ts';
export { requiredScale } from './slo/quantile.ts';
export type { SolverName } from './solver/backends/backend.ts';
export { SOLVER_NAMES } from './solver/backends/runners.ts';
export { writeLp } from './solver/export/lp.ts';
export { writeMps } from './solver/export/mps.ts';
export { closeIdleWorkers } from './solver/solve.ts';
// Generate and import workloads
export { FAMILY_CHOICES, type FamilyChoice } from './workload/generate/families.ts';
export {
  type GeneratedWorkload,
  type GenerateOptions,
  generateWorkload,
  workloadJsonText,
} from './workload/generate/generate.ts';
export type { ImportResult } from './workload/import/finish.ts';
export { importTrace } from './workload/import/importTrace.ts';
export type { ImportFormat, ImportOptions } from './workload/import/options.ts';
export { importFormats } from './workload/import/registry.ts';
