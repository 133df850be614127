import { describe, expect, it } from 'vitest';
import { evaluateExpression, parseExpression, variables } from '../../src/viz/expression.js';
import {
  checkAnswer,
  circuitBlanks,
  decodeExercise,
  encodeExercise,
  EXERCISES,
  makeExercise,
  parseAnswer,
  randomCircuit,
  type Blank,
  type CircuitSpec,
  type Exercise,
  type Mistake,
} from '../../src/viz/exercises/index.js';

/** The blank whose prompt starts with `prompt`. */
function blank(e: Exercise | { blanks: Blank[] }, prompt: string): Blank {
  const found = e.blanks.filter((b) => b.prompt.startsWith(prompt));
  expect(found, prompt).toHaveLength(1);
  return found[0];
}

/** Autograd's gradient of the circuit with respect to each variable. */
function autograd(spec: CircuitSpec): Record<string, number> {
  const { output, inputs } = evaluateExpression(parseExpression(spec.expression), spec.values);
  output.backward();
  return Object.fromEntries([...inputs].map(([name, t]) => [name, t.grad!.item()]));
}

/** The central finite difference of the circuit with respect to `name`. */
function numeric(spec: CircuitSpec, name: string, h = 1e-6): number {
  const at = (d: number): number =>
    evaluateExpression(parseExpression(spec.expression), {
      ...spec.values,
      [name]: spec.values[name] + d,
    }).output.item();
  return (at(h) - at(-h)) / (2 * h);
}

/** What the blanks say each variable's gradient is: its sum over paths, or its one path. */
function leafGradients(spec: CircuitSpec, blanks: Blank[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of variables(parseExpression(spec.expression))) {
    const sum = blanks.find((b) => b.kind === 'sum' && b.prompt.startsWith(`∂f/∂${name},`));
    const paths = blanks.filter(
      (b) => b.kind === 'product' && b.prompt.includes(`sends back to ${name}:`),
    );
    out[name] = sum?.answer[0] ?? paths.reduce((s, b) => s + b.answer[0], 0);
  }
  return out;
}

const mistakeOf = (b: Blank, answer: number[]): Mistake | undefined =>
  checkAnswer(b, answer).mistake;

const SCALAR: Record<string, CircuitSpec> = {
  'add-mul': { expression: '(x + y) * z', values: { x: -2, y: 5, z: -4 } },
  neuron: {
    expression: 'sigmoid(w0 * x0 + w1 * x1 + w2)',
    values: { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
  },
  staged: {
    expression: '(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)',
    values: { x: 3, y: -4 },
  },
};

describe('the built-in exercises', () => {
  it('are the five circuits of the lectures', () => {
    expect(Object.keys(EXERCISES)).toEqual(['add-mul', 'neuron', 'staged', 'net-2-2-1', 'softmax']);
  });

  it.each(Object.keys(SCALAR))("%s: the blanks' gradients are autograd's", (name) => {
    const e = makeExercise(name);
    const got = leafGradients(SCALAR[name], e.blanks);
    const want = autograd(SCALAR[name]);
    for (const v of Object.keys(want)) expect(got[v], v).toBeCloseTo(want[v], 10);
  });

  it('(x + y)·z has the lecture numbers, in backward order', () => {
    const e = makeExercise('add-mul');
    expect(e.blanks.map((b) => [b.kind, b.answer[0]])).toEqual([
      ['local', -4],
      ['product', -4],
      ['local', 3],
      ['product', 3],
      ['local', 1],
      ['product', -4],
      ['local', 1],
      ['product', -4],
    ]);
    expect(e.asked).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(e.circuit.join('\n')).toContain('f = q1 · z = −12');
  });

  it('the sigmoid neuron: ∂f/∂w = [−0.2, −0.39, 0.2], ∂f/∂x = [0.39, −0.59]', () => {
    const e = makeExercise('neuron');
    const g = leafGradients(SCALAR.neuron, e.blanks);
    expect([g.w0, g.w1, g.w2, g.x0, g.x1].map((v) => +v.toFixed(2))).toEqual([
      -0.2, -0.39, 0.2, 0.39, -0.59,
    ]);
    expect(blank(e, '∂f/∂q4').answer[0]).toBeCloseTo(0.1966, 4);
  });

  it('the staged example: the branches of x are 1.583, −0.036, 0.512 and sum to 2.06', () => {
    const e = makeExercise('staged');
    const x = blank(e, '∂f/∂x,');
    expect(x.kind).toBe('sum');
    expect(x.answer[0]).toBeCloseTo(2.0596, 4);
    expect(x.reveal).toContain('1.583 − 0.03576 + 0.5121 = 2.06');
    const branches = e.blanks.filter((b) => b.prompt.includes('sends back to x:'));
    expect(branches.map((b) => +b.answer[0].toFixed(3))).toEqual([1.583, -0.036, 0.512]);
    expect(blank(e, '∂f/∂y,').answer[0]).toBeCloseTo(1.5922, 4);
  });

  it('the 2-2-1 network: δ⁽ˡ⁾ and G⁽ˡ⁾ match finite differences of e', () => {
    const e = makeExercise('net-2-2-1');
    const forward = (W1: number[], W2: number[]): number => {
      const x = [0.5, -1];
      const o1 = [0, 1].map((r) =>
        Math.tanh(W1[2 * r] * x[0] + W1[2 * r + 1] * x[1] + [0.1, -0.2][r]),
      );
      const o2 = Math.tanh(W2[0] * o1[0] + W2[1] * o1[1] + 0.3);
      return (o2 - 1) ** 2;
    };
    const W1 = [0.2, -0.4, 0.7, 0.1];
    const W2 = [0.6, -0.5];
    const h = 1e-6;
    const bump = (v: number[], k: number, d: number): number[] =>
      v.map((x, i) => (i === k ? x + d : x));
    const G1 = W1.map(
      (_, k) => (forward(bump(W1, k, h), W2) - forward(bump(W1, k, -h), W2)) / (2 * h),
    );
    const G2 = W2.map(
      (_, k) => (forward(W1, bump(W2, k, h)) - forward(W1, bump(W2, k, -h))) / (2 * h),
    );
    const [d2, g2, d1, g1] = e.blanks;
    expect(e.blanks.map((b) => b.kind)).toEqual(['delta', 'weightGrad', 'delta', 'weightGrad']);
    g1.answer.forEach((v, k) => expect(v).toBeCloseTo(G1[k], 6));
    g2.answer.forEach((v, k) => expect(v).toBeCloseTo(G2[k], 6));
    // G⁽ˡ⁾ = δ⁽ˡ⁾o⁽ˡ⁻¹⁾ᵀ: with o⁽⁰⁾ = x, G⁽¹⁾'s first column is δ⁽¹⁾·0.5.
    expect(g1.answer[0]).toBeCloseTo(d1.answer[0] * 0.5, 12);
    expect(g1.answer[2]).toBeCloseTo(d1.answer[1] * 0.5, 12);
    expect(d2.answer).toHaveLength(1);
  });

  it('the softmax layer: δ = p − y, and G = δxᵀ matches finite differences of L', () => {
    const e = makeExercise('softmax');
    const [delta, G, dx] = e.blanks;
    const loss = (W: number[]): number => {
      const x = [1, -2];
      const s = [0, 1, 2].map((r) => W[2 * r] * x[0] + W[2 * r + 1] * x[1] + [0.1, 0, -0.1][r]);
      const z = s.reduce((a, v) => a + Math.exp(v), 0);
      return -(s[2] - Math.log(z));
    };
    const W = [0.5, -0.3, 0.2, 0.4, -0.6, 0.1];
    W.forEach((_, k) => {
      const up = W.map((v, i) => (i === k ? v + 1e-6 : v));
      const down = W.map((v, i) => (i === k ? v - 1e-6 : v));
      expect(G.answer[k]).toBeCloseTo((loss(up) - loss(down)) / 2e-6, 6);
    });
    expect(delta.answer.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12); // Σp − 1
    expect(delta.answer[2]).toBeLessThan(0);
    expect(dx.answer).toHaveLength(2);
  });
});

describe('checking an answer', () => {
  const staged = makeExercise('staged');
  const toX = (via: string): Blank =>
    staged.blanks.find(
      (b) => b.prompt === `what ${via} sends back to x: ` + b.prompt.split(': ')[1],
    )!;

  it('accepts the value to three significant digits, typed with − or -', () => {
    expect(checkAnswer(blank(staged, '∂f/∂x,'), [2.06]).correct).toBe(true);
    expect(checkAnswer(toX('q3'), parseAnswer('−0.0358')!).correct).toBe(true);
    expect(checkAnswer(toX('q3'), [-0.04]).correct).toBe(false);
  });

  it('wrong branch: another path of the same value, or the other input of the gate', () => {
    expect(mistakeOf(toX('q3'), [1.583])).toBe('branch');
    expect(checkAnswer(toX('q3'), [1.583]).message).toMatch(/path through q4.*path through q3/);
    const addMul = makeExercise('add-mul');
    expect(mistakeOf(addMul.blanks[1], [3])).toBe('branch');
    expect(checkAnswer(addMul.blanks[0], [3]).message).toMatch(/multiply swaps the inputs/);
    expect(checkAnswer(blank(staged, '∂f/∂q6'), [0.5121]).message).toMatch(/other input/);
    // Multiply swaps the inputs: ∂(w0·x0)/∂w0 is x0, not w0.
    expect(checkAnswer(blank(makeExercise('neuron'), '∂q1/∂w0'), [2]).message).toMatch(/swaps/);
  });

  it('forgot to sum paths: one branch, or some of them, where the total was asked', () => {
    const x = blank(staged, '∂f/∂x,');
    expect(mistakeOf(x, [1.583])).toBe('sum');
    expect(mistakeOf(x, [1.583 + 0.5121])).toBe('sum');
    expect(checkAnswer(x, [0.5121]).message).toMatch(/gradients of all its paths add/);
  });

  it("the output instead of the derivative, or the derivative at the output: σ(x) for σ'(x)", () => {
    const local = blank(staged, '∂q3/∂x');
    expect(local.answer[0]).toBeCloseTo(0.04518, 5);
    expect(mistakeOf(local, [0.9526])).toBe('output');
    expect(checkAnswer(local, [0.9526]).message).toMatch(/gate's output q3/);
    expect(mistakeOf(local, [0.2009])).toBe('output');
    expect(checkAnswer(local, [0.2009]).message).toMatch(/evaluated at the output/);
    expect(mistakeOf(toX('q3'), [-0.7916 * 0.9526])).toBe('output');
  });

  it('the sign', () => {
    expect(mistakeOf(blank(staged, '∂f/∂q6'), [0.7916])).toBe('sign');
    expect(mistakeOf(toX('q3'), [0.03576])).toBe('sign');
  });

  it('upstream alone, or local alone, where upstream × local was asked', () => {
    expect(mistakeOf(toX('q3'), [-0.7916])).toBe('upstream');
    expect(checkAnswer(toX('q3'), [-0.7916]).message).toMatch(/multiply it by the local gradient/);
    expect(mistakeOf(toX('q3'), [0.04518])).toBe('local');
  });

  it('δ⁽ˡ⁾ and G⁽ˡ⁾: forgot θ′, θ′ at the output, G transposed, p for δ', () => {
    const [d2, , d1, g1] = makeExercise('net-2-2-1').blanks;
    const o2 = Math.tanh(0.6 * Math.tanh(0.6) - 0.5 * Math.tanh(0.05) + 0.3);
    expect(mistakeOf(d2, [2 * (o2 - 1)])).toBe('upstream');
    expect(mistakeOf(d2, [2 * (o2 - 1) * o2])).toBe('output');
    const back = d1.distractors.find((d) => d.mistake === 'upstream')!.value;
    expect(checkAnswer(d1, back).message).toMatch(/θ′\(s⁽1⁾\)/);
    const [d0, d1v] = d1.answer;
    expect(mistakeOf(g1, [0.5 * d0, 0.5 * d1v, -d0, -d1v])).toBe('transpose');
    const [delta, G] = makeExercise('softmax').blanks;
    const p = delta.answer.map((v, k) => (k === 2 ? v + 1 : v));
    expect(mistakeOf(delta, p)).toBe('target');
    expect(
      mistakeOf(
        delta,
        delta.answer.map((v) => -v),
      ),
    ).toBe('sign');
    expect(
      mistakeOf(
        G,
        [1, -2].flatMap((x) => delta.answer.map((v) => v * x)),
      ),
    ).toBe('transpose');
  });

  it('says how many numbers it wants, and gives a general hint for an unknown mistake', () => {
    const g1 = makeExercise('net-2-2-1').blanks[3];
    expect(checkAnswer(g1, [1, 2]).message).toBe('expected 4 numbers (shape [2, 2]), got 2');
    const r = checkAnswer(blank(staged, '∂f/∂x,'), [42]);
    expect(r.correct).toBe(false);
    expect(r.mistake).toBeUndefined();
    expect(parseAnswer('[[1, −2], [3; 4]]')).toEqual([1, -2, 3, 4]);
    expect(parseAnswer('two')).toBeUndefined();
  });
});

describe('random circuits', () => {
  it('are reproducible from their seed and size', () => {
    for (const [size, seed] of [
      [1, 0],
      [4, 7],
      [9, 123],
    ]) {
      const a = makeExercise({ circuit: 'random', size, seed });
      const b = makeExercise(`random-${size}-${seed}`);
      expect(b.circuit).toEqual(a.circuit);
      expect(b.blanks.map((x) => x.answer)).toEqual(a.blanks.map((x) => x.answer));
    }
    const seen = new Set(Array.from({ length: 10 }, (_, s) => randomCircuit(5, s).expression));
    expect(seen.size).toBeGreaterThan(5);
  });

  it('have gradients that check out against autograd and finite differences', () => {
    for (let seed = 0; seed < 25; seed++) {
      const size = 1 + (seed % 10);
      const spec = randomCircuit(size, seed);
      const { blanks } = circuitBlanks(spec);
      const got = leafGradients(spec, blanks);
      const want = autograd(spec);
      for (const v of Object.keys(want)) {
        expect(got[v], `${spec.expression} ${v}`).toBeCloseTo(want[v], 10);
        expect(got[v], `${spec.expression} ${v}`).toBeCloseTo(numeric(spec, v), 5);
      }
      for (const b of blanks) expect(Math.abs(b.answer[0])).toBeGreaterThanOrEqual(1e-3);
    }
  });

  it('refuse a size out of range', () => {
    expect(() => randomCircuit(0, 1)).toThrow(/size must be an integer from 1 to 12/);
    expect(() => decodeExercise('random-13-1')).toThrow(RangeError);
  });
});

describe('exercise codes', () => {
  it.each([
    [{ circuit: 'staged' }, 'staged'],
    [{ circuit: 'staged', asked: [0, 1, 2, 3, 7] }, 'staged:0-3,7'],
    [{ circuit: 'random', size: 5, seed: 42 }, 'random-5-42'],
    [{ circuit: 'random', size: 3, seed: -8, asked: [1] }, 'random-3--8:1'],
    [{ circuit: 'net-2-2-1', asked: [1, 3] }, 'net-2-2-1:1,3'],
  ])('%j ⇄ %s', (spec, code) => {
    expect(encodeExercise(spec)).toBe(code);
    expect(decodeExercise(code)).toEqual(spec);
    expect(makeExercise(code).code).toBe(code);
  });

  it('ask only the blanks named, and refuse bad codes', () => {
    expect(makeExercise('add-mul:2-3').asked).toEqual([2, 3]);
    expect(() => decodeExercise('nope')).toThrow(/unknown circuit; known: add-mul, neuron/);
    expect(() => decodeExercise('staged:x')).toThrow(/indices or ranges/);
    expect(() => makeExercise('add-mul:8')).toThrow(/blank 8 does not exist \(there are 8/);
  });
});
