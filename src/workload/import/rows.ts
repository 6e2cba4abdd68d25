import type { Call, Workflow } from '../../schema/workload.ts';

/** A generated DAG shape: its calls' ids, deps, tool delays and stages; tokens are overwritten. */
export interface DagShape {
  family: string;
  calls: Array<Pick<Call, 'id' | 'deps' | 'tool_s'> & { stage?: string }>;
}
export type ShapeSource = () => DagShape;

/**
 * Builds workflows from rows as they stream past, holding only the workflows (the output)
 * and, in synthetic-dag mode, the one shape being filled — never the raw rows.
 *
 * - single: each row is a one-call workflow arriving at the row's time.
 * - synthetic-dag: the next generated shape (k calls, in the generator's topological order)
 *   takes the next k rows: the workflow arrives at its first row's time, and call i gets row
 *   i's token lengths. The later rows' times are not used (a workflow has one arrival).
 */
export class RowWorkflowBuilder {
  readonly workflows: Workflow[] = [];
  private shape: DagShape | null = null;
  private filled: Call[] = [];
  private pendingArrivalS = 0;
  private pendingLine = 0;

  constructor(
    /** Workflow ids are prefix + line number of their (first) row, e.g. `azure-2`. */
    private readonly prefix: string,
    private readonly model: string,
    private readonly family: string,
    private readonly shapes: ShapeSource | null,
  ) {}

  add(
    line: number,
    arrivalS: number,
    inputTokens: number,
    outputTokens: number,
    sharedPrefixTokens?: number,
  ): void {
    if (!this.shapes) {
      // Literal objects, no spreads: this runs once per row of multi-million-row traces.
      const call: Call =
        sharedPrefixTokens === undefined
          ? { id: 'c0', input_tokens: inputTokens, output_tokens: outputTokens, deps: [], tool_s: 0 }
          : {
              id: 'c0',
              input_tokens: inputTokens,
              output_tokens: outputTokens,
              deps: [],
              tool_s: 0,
              shared_prefix_tokens: sharedPrefixTokens,
            };
      this.workflows.push({
        id: this.prefix + line,
        arrival_s: arrivalS,
        model: this.model,
        family: this.family,
        calls: [call],
      });
      return;
    }
    if (!this.shape) {
      this.shape = this.shapes();
      this.filled = [];
      this.pendingArrivalS = arrivalS;
      this.pendingLine = line;
    }
    const slot = this.shape.calls[this.filled.length]!;
    const call: Call = {
      id: slot.id,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      deps: [...slot.deps],
      tool_s: slot.tool_s,
    };
    if (slot.stage !== undefined) call.stage = slot.stage;
    if (sharedPrefixTokens !== undefined) call.shared_prefix_tokens = sharedPrefixTokens;
    this.filled.push(call);
    if (this.filled.length === this.shape.calls.length) this.flush();
  }

  /** Emits the shape being filled; returns how many calls a partial last shape lost. */
  finish(): { partialKept: number; partialOf: number } {
    if (!this.shape || this.filled.length === 0) return { partialKept: 0, partialOf: 0 };
    const of = this.shape.calls.length;
    const kept = this.filled.length;
    // Shapes list calls in topological order, so the filled ones are closed under deps;
    // the filter only guards that assumption.
    const ids = new Set(this.filled.map((c) => c.id));
    for (const c of this.filled) c.deps = c.deps.filter((d) => ids.has(d));
    this.flush();
    return { partialKept: kept, partialOf: of };
  }

  private flush(): void {
    this.workflows.push({
      id: this.prefix + this.pendingLine,
      arrival_s: this.pendingArrivalS,
      model: this.model,
      family: this.shape!.family,
      calls: this.filled,
    });
    this.shape = null;
    this.filled = [];
  }
}
