/**
 * One network, five optimizers, the same start: SGD, momentum, Adagrad, RMSProp and Adam on the
 * spiral data, full-batch, with the training loss side by side every 50 epochs.
 *
 *   npm run build && node --import tsx examples/optimizers.ts
 */
import {
  Adagrad,
  Adam,
  datasets,
  fit,
  mlp,
  RMSprop,
  SGD,
  type Optimizer,
  type Parameter,
} from 'nabla';

const data = datasets.spiral({ samples: 300, classes: 3, noise: 0.1, seed: 0 });
const makers: [string, (p: Parameter[]) => Optimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.5 })],
  ['momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ['Adagrad', (p) => new Adagrad(p, { lr: 0.1 })],
  ['RMSProp', (p) => new RMSprop(p, { lr: 0.01 })],
  ['Adam', (p) => new Adam(p, { lr: 0.01 })],
];
const template = mlp([2, 32, 32, 3], { activation: 'tanh' });
const start = template.stateDict();
const curves: number[][] = [];
for (const [, make] of makers) {
  const model = mlp([2, 32, 32, 3], { activation: 'tanh' });
  model.loadStateDict(start); // the same initial weights for every optimizer
  const history = fit(model, data, {
    optimizer: make,
    batchSize: 'full',
    epochs: 500,
    shuffle: false,
  });
  curves.push(history.epochs.map((e) => e.loss));
}
console.log(['epoch', ...makers.map(([name]) => name)].map((s) => s.padStart(10)).join(''));
for (let e = 0; e < 500; e += 50) {
  console.log(
    [String(e + 1), ...curves.map((c) => c[e].toFixed(4))].map((s) => s.padStart(10)).join(''),
  );
}
console.log(
  [String(500), ...curves.map((c) => c[499].toFixed(4))].map((s) => s.padStart(10)).join(''),
);
