/**
 * The lectures' circuit diagrams, drawn from real computations: f = (x + y)·z and the sigmoid
 * neuron, each with the forward value on every wire and its gradient under it (red). Writes
 * circuit-add-mul.svg and circuit-sigmoid.svg, and prints the backward pass step by step.
 *
 *   npm run build && node --import tsx examples/circuit.ts
 */
import { writeFileSync } from 'node:fs';
import { scalar } from 'nabla';
import { explainBackward, explainText, renderSvg, toDot, trace } from 'nabla/viz';

const v = (value: number, name: string) =>
  scalar(value, { requiresGrad: true, name, dtype: 'float64' });

// f = (x + y)·z at x = −2, y = 5, z = −4
const [x, y, z] = [v(-2, 'x'), v(5, 'y'), v(-4, 'z')];
const f = x.add(y).mul(z);
console.log(explainText(explainBackward(f)));
writeFileSync('circuit-add-mul.svg', await renderSvg(toDot(trace(f), { title: 'f = (x + y)·z' })));

// The sigmoid neuron f(w, x) = 1 / (1 + e^−(w0·x0 + w1·x1 + w2)), gate by gate as in the lecture
const [w0, w1, w2, x0, x1] = [v(2, 'w0'), v(-3, 'w1'), v(-3, 'w2'), v(-1, 'x0'), v(-2, 'x1')];
const neuron = w0.mul(x0).add(w1.mul(x1)).add(w2).mul(-1).exp().add(1).reciprocal();
writeFileSync(
  'circuit-sigmoid.svg',
  await renderSvg(toDot(trace(neuron), { title: 'the sigmoid neuron' })),
);
console.log('wrote circuit-add-mul.svg and circuit-sigmoid.svg');
