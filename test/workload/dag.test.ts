import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/schema/workload.ts';
import { criticalPath, findCycle, indexDag, topologicalOrder } from '../../src/workload/dag.ts';

const wf = (calls: Array<[string, string[]]>): Workflow => ({
  id: 'w',
  arrival_s: 0,
  model: 'm',
  calls: calls.map(([id, deps]) => ({ id, input_tokens: 1, output_tokens: 1, deps, tool_s: 0 })),
});

describe('DAG utilities', () => {
  it('orders calls topologically, ready calls in file order', () => {
    const dag = indexDag(
      wf([
        ['d', ['b', 'c']],
        ['b', ['a']],
        ['a', []],
        ['c', ['a']],
      ]),
    );
    const order = topologicalOrder(dag)!;
    expect(order.map((i) => dag.ids[i])).toEqual(['a', 'b', 'c', 'd']);
  });

  it('returns null for a cycle and names it in dependency order', () => {
    const dag = indexDag(
      wf([
        ['a', ['c']],
        ['b', ['a']],
        ['c', ['b']],
        ['x', []],
      ]),
    );
    expect(topologicalOrder(dag)).toBeNull();
    const cycle = findCycle(dag)!;
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expect(new Set(cycle)).toEqual(new Set(['a', 'b', 'c']));
    expect(cycle).toHaveLength(4);
    // Each id depends on the next one.
    for (let k = 0; k + 1 < cycle.length; k++) {
      const i = dag.indexOf.get(cycle[k]!)!;
      expect(dag.deps[i]!.map((j) => dag.ids[j])).toContain(cycle[k + 1]);
    }
    expect(
      findCycle(
        indexDag(
          wf([
            ['a', []],
            ['b', ['a']],
          ]),
        ),
      ),
    ).toBeNull();
  });

  it('handles a 20,000-call chain without overflowing the stack', () => {
    const calls: Array<[string, string[]]> = Array.from({ length: 20_000 }, (_, i) => [
      `c${i}`,
      i ? [`c${i - 1}`] : [],
    ]);
    const dag = indexDag(wf(calls));
    expect(findCycle(dag)).toBeNull();
    expect(topologicalOrder(dag)).toHaveLength(20_000);
  });

  it('computes the critical path (longest weighted path) and finish times', () => {
    // a(2) → b(3) → d(1); a → c(5) → d: longest a, c, d = 8.
    const dag = indexDag(
      wf([
        ['a', []],
        ['b', ['a']],
        ['c', ['a']],
        ['d', ['b', 'c']],
      ]),
    );
    const cost = [2, 3, 5, 1];
    const { length, finish } = criticalPath(dag, topologicalOrder(dag)!, (i) => cost[i]!);
    expect(length).toBe(8);
    expect([...finish]).toEqual([2, 5, 7, 8]);
  });
});
