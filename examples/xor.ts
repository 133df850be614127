/**
 * Why a hidden layer is needed: XOR is not linearly separable. A network with no hidden layer
 * (logistic regression) cannot get past about 50% (chance on the four quadrants), while one
 * hidden layer of a few tanh units separates them.
 *
 *   npm run build && node --import tsx examples/xor.ts
 */
import { datasets, evaluate, fit, manualSeed, mlp } from 'nabla';

const train = datasets.xor({ samples: 400, noise: 0.05, seed: 1 });
const test = datasets.xor({ samples: 200, noise: 0.05, seed: 2 });

for (const hidden of [[], [8]]) {
  manualSeed(0);
  const model = mlp([2, ...hidden, 2], { activation: 'tanh' });
  fit(model, train, { epochs: 200, batchSize: 32, lr: 0.03 });
  const { accuracy } = evaluate(model, test);
  const name =
    hidden.length === 0
      ? 'no hidden layer (linear)'
      : `one hidden layer of ${hidden[0]} tanh units`;
  console.log(`${name.padEnd(34)} test accuracy ${((accuracy ?? 0) * 100).toFixed(1)}%`);
}
