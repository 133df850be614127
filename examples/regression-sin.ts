/**
 * Universal approximation: one hidden layer of tanh units fits sin(x) on [−π, π]. More hidden
 * units fit it more closely.
 *
 *   npm run build && node --import tsx examples/regression-sin.ts
 */
import { datasets, evaluate, fit, linspace, manualSeed, mlp, predict } from 'nabla';

const train = datasets.regression1d({ samples: 256, noise: 0, seed: 0 });
for (const units of [1, 3, 20]) {
  manualSeed(0);
  const model = mlp([1, units, 1], { activation: 'tanh' });
  fit(model, train, { loss: 'mse', epochs: 500, batchSize: 32, lr: 0.01 });
  const { loss } = evaluate(model, train, { loss: 'mse' });
  console.log(
    `${String(units).padStart(2)} hidden units: mean squared error ${loss.toExponential(2)}`,
  );
}

// The fitted curve next to sin(x) at a few points, for the 20-unit network.
manualSeed(0);
const model = mlp([1, 20, 1], { activation: 'tanh' });
fit(model, train, { loss: 'mse', epochs: 500, batchSize: 32, lr: 0.01 });
const xs = linspace(-Math.PI, Math.PI, 7).reshape(-1, 1);
const ys = predict(model, xs);
for (let i = 0; i < 7; i++) {
  const x = xs.data[i];
  console.log(
    `x = ${x.toFixed(2).padStart(5)}   network ${ys.data[i].toFixed(3).padStart(6)}   sin(x) ${Math.sin(x).toFixed(3).padStart(6)}`,
  );
}
