/**
 * hexplan's library API: everything the CLI prints comes from a function exported here, so a
 * notebook can call it with the same result. Grouped by layer.
 */

// Analysis
export { requiredRank, requiredScale } from './analysis/quantile.ts';
// Errors and files
export { HexplanError } from './errors.ts';
export { readJsonFile, toJsonText, writeFileAtomic } from './io/files.ts';
export { SOLVER_NAMES, type SolverBackend, type SolverName } from './opt/backends/backend.ts';
// Optimization
export { LinearExpr, Model, type Var } from './opt/model.ts';
export type { PlacementOptions, PlacementResult } from './opt/placement/types.ts';
export type { SolveOptions, SolveResult, SolveStatus } from './opt/result.ts';
// Profiles and the cost model
export { type Catalog, loadCatalog } from './profile/catalog.ts';
export { buildCostModel, CostModel, type ResolvedInstance } from './profile/costModel.ts';
export { decodeStepMs, kvBytesPerToken, kvCapacityTokens, prefillMs } from './profile/formulas.ts';
export { rooflineProfile } from './profile/roofline.ts';
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
export * from './schema/plan.ts';
export * from './schema/profile.ts';
export * from './schema/results.ts';
export * from './schema/workload.ts';
// Workloads
export { criticalPath, findCycle, indexDag, topologicalOrder } from './workload/dag.ts';
export { checkWorkloadOnCluster, standaloneS, standaloneTimesS } from './workload/standalone.ts';
