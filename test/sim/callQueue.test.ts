import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallQueue } from '../../src/sim/callQueue.ts';

type Op = { kind: 'push' | 'pop' | 'update'; call: number; key: number };

const op = fc.record({
  kind: fc.constantFrom<Op['kind']>('push', 'pop', 'update'),
  call: fc.integer({ min: 0, max: 11 }),
  key: fc.integer({ min: 0, max: 5 }),
});

describe('CallQueue', () => {
  it('pops in (key, call) order like a sorted list, whatever the pushes, pops and re-keys', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const positions = CallQueue.positions(12);
        const q = new CallQueue(positions, 4);
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'push' && !model.has(o.call)) {
            q.push(o.key, o.call);
            model.set(o.call, o.key);
          } else if (o.kind === 'update' && model.has(o.call)) {
            expect(q.has(o.call)).toBe(true);
            q.update(o.call, o.key);
            model.set(o.call, o.key);
          } else if (o.kind === 'pop') {
            const expected = [...model].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0];
            expect(q.pop()).toBe(expected === undefined ? -1 : expected[0]);
            if (expected) model.delete(expected[0]);
          }
          expect(q.size).toBe(model.size);
          for (let c = 0; c < 12; c++) expect(q.has(c)).toBe(model.has(c));
        }
      }),
    );
  });

  it('sums the weights of exactly the calls keyed at or below a bound, and above it, after any pushes, pops and re-keys', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.integer({ min: -1, max: 6 }), (ops, bound) => {
        const q = new CallQueue(CallQueue.positions(12), 4);
        const model = new Map<number, number>();
        // Powers of two: each sum names the set of calls it counted.
        const weightS = Float64Array.from({ length: 12 }, (_, c) => 2 ** c);
        const weight = Float64Array.from({ length: 12 }, (_, c) => 2 ** (c + 12));
        const out = new Float64Array(3);
        for (const o of ops) {
          if (o.kind === 'push' && !model.has(o.call)) {
            q.push(o.key, o.call);
            model.set(o.call, o.key);
          } else if (o.kind === 'update' && model.has(o.call)) {
            q.update(o.call, o.key);
            model.set(o.call, o.key);
          } else if (o.kind === 'pop') {
            model.delete(q.pop());
          }
          let expected = 0;
          let expectedWeight = 0;
          let above = 0;
          for (const [c, key] of model) {
            if (key <= bound) {
              expected += weightS[c]!;
              expectedWeight += weight[c]!;
            } else above += weight[c]!;
          }
          q.splitSums(bound, weightS, weight, out);
          expect([...out]).toEqual([expected, expectedWeight, above]);
          q.splitSums(bound, weightS, null, out);
          expect([...out]).toEqual([expected, 0, 0]);
        }
      }),
    );
  });

  it('shares one position table between queues: a call is only in the queue that holds it', () => {
    const positions = CallQueue.positions(4);
    const a = new CallQueue(positions);
    const b = new CallQueue(positions);
    a.push(1, 0);
    b.push(1, 1);
    expect(a.has(0)).toBe(true);
    expect(b.has(0)).toBe(false);
    expect(a.has(1)).toBe(false);
    a.pop();
    b.push(0, 0);
    expect(b.peekId()).toBe(0);
    expect(a.has(0)).toBe(false);
  });
});
