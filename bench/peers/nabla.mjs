/**
 * nabla side of bench/compare.ts: one case in one process, on the backend that `NABLA_BACKEND`
 * selects (the parent sets it; `setBackend` makes sure of it), so that the peak RSS is the case's
 * own and one backend's JIT state cannot help another. It imports the built package (dist/, as
 * users do) with plain `node`, like the TF.js runner: no TypeScript loader in the process.
 *
 *   npm run build
 *   NABLA_BACKEND=js node bench/peers/nabla.mjs '{"case":"mlp-sgd","windowMs":1000}'
 *
 * Prints one line `RESULT {json}` that bench/compare.ts parses.
 */
import process from 'node:process';
import {
  Adam,
  crossEntropy,
  getBackend,
  lenet5,
  listBackends,
  manualSeed,
  mlp,
  noGrad,
  randint,
  randn,
  setBackend,
  SGD,
  smallVgg,
} from '../../dist/node.js';
import { engine } from '../../dist/tensor/state.js';
import { opCase } from './nabla-ops.mjs';
import { gemmSizes, printResult, timeRepeats, timeWindows } from './timing.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const wanted = process.env.NABLA_BACKEND;
if (wanted !== undefined && wanted !== '' && getBackend() !== wanted) setBackend(wanted);

function gemm() {
  const sizes = [];
  for (const n of config.sizes ?? gemmSizes) {
    const a = randn([n, n]);
    const b = randn([n, n]);
    const figures = timeRepeats(() => noGrad(() => a.matmul(b)), n, config);
    sizes.push({ n, ...figures, ...(config.warm === true ? { warm: warmProduct(a, b, n) } : {}) });
  }
  return { sizes };
}

/**
 * A diagnostic beside the op's figure: the active backend's kernel into one output array used
 * again and again (warm memory), as `a.matmul(b)` computes it but without the fresh result array.
 * In Chromium on this VM a fresh 4 MB array costs about 20 ms of first-touch page faults; this
 * shows how much of the op's time that is. Not a user-level figure: users get a fresh tensor.
 */
function warmProduct(a, b, n) {
  const out = new Float32Array(n * n);
  const kernel = engine.backend;
  const once = () => kernel.matmul(a.data, b.data, out, 1, n, n, n, false, false, 0, 0);
  const { medianMs, gflops } = timeRepeats(once, n, config);
  return { medianMs, gflops };
}

/** Batches of random data held in memory: inputs N(0,1), labels random class indices. */
function batches(count, batch, inputs, classes) {
  const out = [];
  for (let i = 0; i < count; i++) out.push([randn([batch, inputs]), randint(0, classes, [batch])]);
  return out;
}

function train(model, opt, data, batch) {
  let i = 0;
  let last = NaN;
  const step = () => {
    const [x, y] = data[i++ % data.length];
    const loss = crossEntropy(model.call(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  };
  const sync = () => {
    last = model.parameters()[0].data[0];
  };
  const timing = timeWindows(step, sync, config);
  return { ...timing, batch, samplesPerSecond: timing.stepsPerSecond * batch, check: last };
}

function mlpCase(optimizer) {
  const model = mlp([784, 256, 128, 10], { activation: 'relu' });
  const opt =
    optimizer === 'sgd'
      ? new SGD(model.parameters(), { lr: 0.01 })
      : new Adam(model.parameters(), { lr: 1e-3 });
  return train(model, opt, batches(8, 128, 784, 10), 128);
}

function tiny() {
  const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
  return train(model, new SGD(model.parameters(), { lr: 0.1 }), batches(16, 32, 2, 2), 32);
}

function imageBatches(count, shape) {
  const out = [];
  for (let i = 0; i < count; i++) out.push([randn([64, ...shape]), randint(0, 10, [64])]);
  return out;
}

function cnnCase(name) {
  // The library's own networks are the ones bench/cnn.ts describes (and the peers rebuild).
  const model = name === 'lenet' ? lenet5() : smallVgg();
  const opt = new SGD(model.parameters(), { lr: 0.01, momentum: name === 'lenet' ? 0 : 0.9 });
  const data = imageBatches(4, name === 'lenet' ? [1, 28, 28] : [3, 32, 32]);
  return train(model, opt, data, 64);
}

const cases = {
  // What bench/compare.ts iterates over: the backends of the built package this runner imports.
  backends: () => ({ backends: listBackends() }),
  gemm,
  'mlp-sgd': () => mlpCase('sgd'),
  'mlp-adam': () => mlpCase('adam'),
  tiny,
  lenet: () => cnnCase('lenet'),
  cifar: () => cnnCase('cifar'),
  einsum: () => opCase('einsum', config),
  sort: () => opCase('sort', config),
  topk: () => opCase('topk', config),
  sdpa: () => opCase('sdpa', config),
};
const run = cases[config.case];
if (run === undefined) throw new Error(`nabla.mjs: unknown case ${JSON.stringify(config.case)}`);
manualSeed(0);
const result = run();
printResult({
  framework: `nabla-${getBackend()}`,
  backend: getBackend(),
  case: config.case,
  ...result,
});
