/**
 * The key blanks of an exercise: the ones that teach something (local gradients other than an add
 * gate's 1, products that are not a copy, sums at fan-outs, δ and G), chosen by the code's `:key`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeExercise,
  encodeExercise,
  keyBlanks,
  makeExercise,
  type Blank,
} from '../../src/viz/exercises/index.js';

const prompts = (code: string): string[] => {
  const e = makeExercise(code);
  return e.asked.map((i) => e.blanks[i].prompt.split(',')[0]);
};

describe('the key blanks of an exercise', () => {
  it('asks only the two multiply-gate local gradients of (x + y)·z', () => {
    const e = makeExercise('add-mul:key');
    expect(e.code).toBe('add-mul:key');
    expect(e.asked).toEqual([0, 2]);
    expect(e.asked.map((i) => e.blanks[i].answer)).toEqual([[-4], [3]]);
    // the other six are copies: the products by the seed's 1, the add gate's 1s and its products
    expect(e.blanks.filter((b) => b.routine === true)).toHaveLength(6);
    expect(e.blanks[4].answer).toEqual([1]);
    expect(e.blanks[4].routine).toBe(true);
  });

  it('keeps the gates that teach and the sums in the staged example', () => {
    expect(prompts('staged:key')).toEqual([
      '∂f/∂q2',
      '∂f/∂q6',
      '∂q5/∂q4',
      'what q5 sends back to q4: upstream × local (the upstream is ∂f/∂q5 = −0.7916)',
      '∂q3/∂x',
      'what q3 sends back to x: upstream × local (the upstream is ∂f/∂q3 = −0.7916)',
      '∂q1/∂y',
      'what q1 sends back to y: upstream × local (the upstream is ∂f/∂q1 = 0.5121)',
      '∂f/∂x',
      '∂f/∂y',
    ]);
    const e = makeExercise('staged:key');
    // the branch gradients of x through q4 (x + y, local 1) and q2 (x + q1) are copies; the sum is not
    const sums = e.asked.filter((i) => e.blanks[i].kind === 'sum');
    expect(sums.map((i) => e.blanks[i].answer[0])).toEqual([
      expect.closeTo(2.0596, 4),
      expect.closeTo(1.5922, 4),
    ]);
  });

  it('asks every blank of the network exercises (δ and G are never copies)', () => {
    expect(makeExercise('net-2-2-1:key').asked).toEqual([0, 1, 2, 3]);
    expect(makeExercise('softmax:key').asked).toEqual([0, 1, 2]);
  });

  it('reads and writes the code, and asks all blanks when every one is routine', () => {
    expect(decodeExercise('staged:key')).toEqual({ circuit: 'staged', asked: 'key' });
    expect(encodeExercise({ circuit: 'random', size: 3, seed: 7, asked: 'key' })).toBe(
      'random-3-7:key',
    );
    expect(() => makeExercise('staged:keys')).toThrow(/"key", or indices/);
    const copy: Blank = {
      kind: 'local',
      prompt: '∂q/∂x',
      answer: [1],
      shape: [],
      reveal: '',
      distractors: [],
      routine: true,
    };
    expect(keyBlanks([copy, copy])).toEqual([0, 1]);
    expect(keyBlanks([copy, { ...copy, routine: undefined }])).toEqual([1]);
    expect(() => keyBlanks('x' as never)).toThrow(/^keyBlanks: blanks/);
  });

  it('marks a blank routine exactly when it is 1 or a copy of a factor, for random circuits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 10_000 }), (n, s) => {
        const e = makeExercise(`random-${n}-${s}:key`);
        expect(e.asked.length).toBeGreaterThan(0);
        for (const [i, b] of e.blanks.entries()) {
          if (b.kind === 'sum') expect(b.routine).toBeFalsy();
          if (b.kind === 'local' && b.answer[0] !== 1) expect(b.routine, b.prompt).toBe(false);
          if (b.kind === 'local' && b.answer[0] === 1) expect(b.routine).toBe(true);
          // a routine product repeats the local gradient before it or the upstream in its prompt
          if (b.kind === 'product' && b.routine === true) {
            const local = e.blanks[i - 1].answer[0];
            const upstream = Number(/= (−?[\d.e+-]+)\)$/.exec(b.prompt)?.[1].replace('−', '-'));
            expect(local === 1 || Math.abs(upstream - 1) < 1e-12, b.prompt).toBe(true);
          }
          if (b.routine !== true && b.kind !== 'sum') expect(e.asked).toContain(i);
        }
      }),
      { seed: 13, numRuns: 40 },
    );
  });
});
