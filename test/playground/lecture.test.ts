/**
 * The inspector's lecture view computes δ⁽ˡ⁾ and G⁽ˡ⁾ by the lectures' formulas; here each is
 * checked against autograd: G⁽ˡ⁾ must be the weight gradient of one example's loss, δ⁽ˡ⁾ the bias
 * gradient, for every loss and activation the playground offers.
 */
import { describe, expect, it } from 'vitest';
import { Generator, tensor } from '../../src/index.js';
import { buildModel, lossOf } from '../../playground/src/model.js';
import { DEFAULT_SETTINGS, type Settings } from '../../playground/src/settings.js';
import { lectureBackprop, suggestPoint } from '../../playground/src/views/lecture-math.js';

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...structuredClone(DEFAULT_SETTINGS),
  ...over,
});

/** Autograd's gradient of each parameter for one example's loss, by the parameter's name. */
function autogradOf(s: Settings, features: number[], label: number) {
  const model = buildModel(s, new Generator(s.seed));
  model.eval();
  const x = tensor([features]);
  const y = s.mode === 'regression' ? tensor([label]) : tensor([label], { dtype: 'int32' });
  const loss = lossOf(s, model.call(x), y);
  loss.backward();
  const grads = new Map(
    model.namedParameters().map(([name, p]) => [name, Array.from(p.grad!.data)]),
  );
  return { model, loss: loss.item(), grads };
}

function expectClose(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1e-6, ...want.map(Math.abs));
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThan(
      1e-5 * scale + 1e-9,
    );
}

const CASES: [string, Partial<Settings>, number[], number][] = [
  ['cross-entropy, tanh, two hidden layers', { hidden: [8, 8] }, [0.4, -0.7], 1],
  ['cross-entropy, relu', { hidden: [5, 3], activation: 'relu' }, [0.9, 0.2], 0],
  [
    'cross-entropy, sigmoid, 3 classes',
    { hidden: [4], activation: 'sigmoid', dataset: 'spiral', classes: 3 },
    [-0.3, 0.5],
    2,
  ],
  ['squared error of the softmax', { hidden: [6], loss: 'mse' }, [0.1, 0.8], 1],
  ['no hidden layer', { hidden: [] }, [0.6, -0.2], 0],
  ['regression', { mode: 'regression', features: ['x'], hidden: [4, 3] }, [0.3], 0.7],
];

describe('the lecture view’s δ and G', () => {
  it.each(CASES)('equal autograd’s gradients: %s', (_name, over, features, label) => {
    const s = settings(over);
    const { model, loss, grads } = autogradOf(s, features, label);
    const lecture = lectureBackprop(model, s, features, label);
    expect(lecture.loss.value).toBeCloseTo(loss, 5);
    expect(lecture.layers).toHaveLength(s.hidden.length + 1);
    for (const layer of lecture.layers) {
      expect(layer.G).toHaveLength(layer.neurons * layer.inputs);
      expectClose(layer.G, grads.get(layer.weightName)!, `G${layer.l} = ∂L/∂${layer.weightName}`);
      expectClose(layer.delta, grads.get(layer.biasName)!, `δ${layer.l} = ∂L/∂${layer.biasName}`);
    }
    // something to see: the example's gradient is not zero
    expect(Math.max(...lecture.layers.flatMap((l) => Array.from(l.G, Math.abs)))).toBeGreaterThan(
      0,
    );
  });

  it('writes the loss node’s δ as the lectures do: p − y for softmax cross-entropy', () => {
    const s = settings({ hidden: [3] });
    const model = buildModel(s, new Generator(1));
    model.eval();
    const { loss, layers } = lectureBackprop(model, s, [0.2, 0.4], 1);
    expect(loss.deltaFormula).toBe('δ⁽ᴸ⁾ = p − y');
    expect(Array.from(loss.y)).toEqual([0, 1]);
    const out = layers[layers.length - 1];
    expect(out.theta).toBe('identity');
    expectClose(out.delta, [loss.p[0] - 0, loss.p[1] - 1], 'p − y');
    expect(layers[0].theta).toBe('tanh');
    expect(layers.map((l) => l.weightName)).toEqual(['0.weight', '2.weight']);
  });

  it('suggests a misclassified or low-margin point, where the gradient is large', () => {
    const s = settings({ hidden: [3] });
    const model = buildModel(s, new Generator(2));
    model.eval();
    // the default features are x₁ and x₂ themselves
    const points = [
      [0.1, 0.2],
      [-0.9, 0.4],
      [0.5, -0.5],
      [0.8, 0.9],
    ];
    const labels = [0, 1, 1, 0];
    const i = suggestPoint(model, s, { points: points.flat(), labels });
    const norms = points.map((p, k) => {
      const { layers } = lectureBackprop(model, s, p, labels[k]);
      return Math.hypot(...layers[layers.length - 1].delta);
    });
    // misclassified or nearly so: |δ⁽ᴸ⁾| = |p − y| is far from 0, larger than the most certain point's
    expect(norms[i]).toBeGreaterThan(0.5);
    expect(norms[i]).toBeGreaterThan(Math.min(...norms));
    expect(suggestPoint(model, s, { points: [], labels: [] })).toBe(-1);
  });
});
