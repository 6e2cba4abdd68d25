import { z } from 'zod';
import { GpuCatalog, LlmCatalog } from './catalog.ts';
import { Cluster } from './cluster.ts';
import { Grid } from './grid.ts';
import { HeadlineGrid } from './headline.ts';
import { Measurements } from './measurements.ts';
import { Plan } from './plan.ts';
import { Profiles } from './profile.ts';
import { ProvisionCatalog } from './provisionCatalog.ts';
import { ProvisionSweep } from './provisionSweep.ts';
import { CalibrationResult } from './results/calibration.ts';
import { CompareResult } from './results/compare.ts';
import { ExportLpResult } from './results/exportLp.ts';
import { GapResult } from './results/gap.ts';
import { GenResult } from './results/gen.ts';
import { HeadlineResult } from './results/headline.ts';
import { ImportResult } from './results/import.ts';
import { PlanResult } from './results/plan.ts';
import { FitProfileResult, ProfileResult } from './results/profile.ts';
import { ProvisionResult } from './results/provision.ts';
import { ReportResult } from './results/report.ts';
import { SchemaList } from './results/schemaList.ts';
import { SimulateResult } from './results/simulate.ts';
import { SweepResult } from './results/sweep.ts';
import { ValidateResult } from './results/validate.ts';
import { VerifyResult } from './results/verify.ts';
import { CallRecord, WorkflowResult } from './results.ts';
import { SweepGapLine, SweepProvisionLine, SweepSimulateLine } from './sweepResult.ts';
import { Workload } from './workload.ts';

/** One file format: its zod schema is the only definition; JSON Schema and docs derive from it. */
export interface FileFormat {
  name: string;
  /** input: files hexplan reads; output: files and lines it writes (and reads back). */
  direction: 'input' | 'output';
  describe: string;
  schema: z.ZodType;
}

/** Every format with a zod schema, in the order docs/formats.md lists them. */
export const FILE_FORMATS: readonly FileFormat[] = [
  {
    name: 'workload',
    direction: 'input',
    describe: 'agentic workflows (DAGs of LLM calls)',
    schema: Workload,
  },
  { name: 'cluster', direction: 'input', describe: 'GPU instances, roles and links', schema: Cluster },
  { name: 'plan', direction: 'input', describe: 'an offline placement (plan, verify, replay)', schema: Plan },
  {
    name: 'profiles',
    direction: 'input',
    describe: 'fitted (GPU, LLM, TP) timing profiles',
    schema: Profiles,
  },
  { name: 'gpu-catalog', direction: 'input', describe: 'GPU specs (models/gpus.json)', schema: GpuCatalog },
  { name: 'llm-catalog', direction: 'input', describe: 'LLM specs (models/llms.json)', schema: LlmCatalog },
  {
    name: 'measurements',
    direction: 'input',
    describe: 'published timing points the built-in profiles are fitted to',
    schema: Measurements,
  },
  { name: 'grid', direction: 'input', describe: 'a sweep: simulate, gap and provision cells', schema: Grid },
  { name: 'headline-grid', direction: 'input', describe: 'the headline table’s grid', schema: HeadlineGrid },
  {
    name: 'provision-catalog',
    direction: 'input',
    describe: 'GPU types, prices and limits for provisioning',
    schema: ProvisionCatalog,
  },
  {
    name: 'sweep-simulate-line',
    direction: 'output',
    describe: 'one simulate cell of a sweep results file (JSON lines)',
    schema: SweepSimulateLine,
  },
  {
    name: 'sweep-gap-line',
    direction: 'output',
    describe: 'one gap cell of a sweep results file',
    schema: SweepGapLine,
  },
  {
    name: 'sweep-provision-line',
    direction: 'output',
    describe: 'one provision cell of a sweep results file',
    schema: SweepProvisionLine,
  },
  {
    name: 'provision-sweep',
    direction: 'output',
    describe: '`provision --sweep-rates --json`: cost versus load',
    schema: ProvisionSweep,
  },
  {
    name: 'validate-result',
    direction: 'output',
    describe: '`validate --json`: each file checked, its kind and problems',
    schema: ValidateResult,
  },
  {
    name: 'gen-result',
    direction: 'output',
    describe: '`gen --json`: the workload written, its arrival rate and load',
    schema: GenResult,
  },
  {
    name: 'import-result',
    direction: 'output',
    describe: '`import --json`: the workload written and what was read, used and skipped',
    schema: ImportResult,
  },
  {
    name: 'fit-profile-result',
    direction: 'output',
    describe: '`fit-profile --json`: the fitted profile and its fit errors',
    schema: FitProfileResult,
  },
  {
    name: 'profile-result',
    direction: 'output',
    describe: '`profile --json`: a resolved built-in profile and its predictions',
    schema: ProfileResult,
  },
  {
    name: 'calibration-result',
    direction: 'output',
    describe: '`calibration --json`: built-in profiles vs every published measurement',
    schema: CalibrationResult,
  },
  {
    name: 'simulate-result',
    direction: 'output',
    describe: "`simulate --json`: one policy's metrics and attainment curve",
    schema: SimulateResult,
  },
  {
    name: 'compare-result',
    direction: 'output',
    describe: "`compare --json`: every policy side by side, HexAGenT's reduction",
    schema: CompareResult,
  },
  {
    name: 'plan-result',
    direction: 'output',
    describe: "`plan --json`: the placement ILP's plan, bounds and gap",
    schema: PlanResult,
  },
  {
    name: 'export-lp-result',
    direction: 'output',
    describe: '`export-lp --json`: the model file written and its size',
    schema: ExportLpResult,
  },
  {
    name: 'verify-result',
    direction: 'output',
    describe: '`verify --json`: violations and recomputed objectives of a plan',
    schema: VerifyResult,
  },
  {
    name: 'gap-result',
    direction: 'output',
    describe: '`gap --json` (and -o): exact, realistic or interrupted bracket of the optimum',
    schema: GapResult,
  },
  {
    name: 'provision-result',
    direction: 'output',
    describe: '`provision --json` (and -o): the cheapest verified mix, or the best so far when interrupted',
    schema: ProvisionResult,
  },
  {
    name: 'sweep-result',
    direction: 'output',
    describe: '`sweep --json`: cells run, skipped and written',
    schema: SweepResult,
  },
  {
    name: 'headline-result',
    direction: 'output',
    describe: '`headline --json` (and -o): every cell and the reduction table',
    schema: HeadlineResult,
  },
  {
    name: 'report-result',
    direction: 'output',
    describe: '`report --json`: the report directory and the files written',
    schema: ReportResult,
  },
  {
    name: 'schema-list',
    direction: 'output',
    describe: '`schema --json`: every format hexplan reads or writes',
    schema: SchemaList,
  },
  {
    name: 'trace-call',
    direction: 'output',
    describe: 'one call record of a `simulate --trace` file',
    schema: CallRecord,
  },
  {
    name: 'trace-workflow',
    direction: 'output',
    describe: 'one workflow record of a `simulate --trace` file',
    schema: WorkflowResult,
  },
];

export function fileFormat(name: string): FileFormat | undefined {
  return FILE_FORMATS.find((f) => f.name === name);
}

/**
 * The JSON Schema (draft 2020-12) of a format. Inputs are described as written (fields with a
 * default are optional); outputs as hexplan writes them.
 */
export function jsonSchemaOf(format: FileFormat): Record<string, unknown> {
  return z.toJSONSchema(format.schema, {
    io: format.direction === 'input' ? 'input' : 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}
