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
