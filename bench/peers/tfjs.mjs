/**
 * TensorFlow.js side of bench/compare.ts: one case in one process, so that the peak RSS is the
 * case's own. Plain JavaScript (not TypeScript) because the root tsconfig type-checks bench/ and
 * cannot resolve bench/peers/node_modules.
 *
 *   node bench/peers/tfjs.mjs '{"backend":"wasm","case":"mlp-sgd","windowMs":1000,"windows":3,"warmupMs":500}'
 *
 * Prints progress lines, then one line `RESULT {json}` that bench/compare.ts parses.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import console from 'node:console';
import process from 'node:process';
import { gemmSizes, printResult, timeRepeats, timeWindows } from './timing.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
const backend = config.backend ?? 'cpu';

async function main() {
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tf.setBackend(${JSON.stringify(backend)}) failed`);
  await tf.ready();
  const require = createRequire(import.meta.url);
  const info = {
    framework: `tfjs-${backend}`,
    version: tf.version.tfjs,
    wasmVersion: require('@tensorflow/tfjs-backend-wasm/package.json').version,
    backend: tf.getBackend(),
  };
  if (backend === 'wasm') {
    info.wasmSimd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.wasmThreads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  let result;
  switch (config.case) {
    case 'gemm':
      result = gemm(config);
      break;
    case 'mlp-sgd':
      result = mlpTrain(config, tf.train.sgd(0.01));
      break;
    case 'mlp-adam':
      result = mlpTrain(config, tf.train.adam(1e-3));
      break;
    case 'tiny':
      result = tiny(config);
      break;
    case 'lenet':
      result = cnnTrain(config, lenetLayers(), [1, 28, 28], tf.train.sgd(0.01));
      break;
    case 'cifar':
      result = cnnTrain(config, cifarLayers(), [3, 32, 32], tf.train.momentum(0.01, 0.9));
      break;
    default:
      throw new Error(`tfjs.mjs: unknown case ${JSON.stringify(config.case)}`);
  }
  printResult({ ...info, case: config.case, ...result });
}

function gemm(config) {
  const sizes = [];
  for (const n of config.sizes ?? gemmSizes) {
    const a = tf.randomNormal([n, n], 0, 1, 'float32');
    const b = tf.randomNormal([n, n], 0, 1, 'float32');
    const once = () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    };
    sizes.push({ n, ...timeRepeats(once, n, config) });
    a.dispose();
    b.dispose();
  }
  return { sizes };
}

/** Batches of random data held in memory: inputs N(0,1), one-hot labels of random classes. */
function batches(count, batch, inputs, classes) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const x = tf.randomNormal([batch, inputs], 0, 1, 'float32');
    const labels = tf.randomUniform([batch], 0, classes, 'int32');
    const y = tf.oneHot(labels, classes).toFloat();
    labels.dispose();
    out.push([x, y]);
  }
  return out;
}

function trainLoop(model, optimizer, data, config) {
  let i = 0;
  let last;
  const step = () => {
    const [x, y] = data[i++ % data.length];
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)));
    });
  };
  const sync = () => {
    // Each op runs eagerly on these CPU backends; reading a weight makes sure nothing is pending.
    last = model.getWeights()[0].dataSync()[0];
  };
  const timing = timeWindows(step, sync, config);
  return { ...timing, check: last };
}

function mlpTrain(config, optimizer) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10 }),
    ],
  });
  const data = batches(8, 128, 784, 10);
  const timing = trainLoop(model, optimizer, data, config);
  return { ...timing, batch: 128, samplesPerSecond: timing.stepsPerSecond * 128 };
}

function tiny(config) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }),
      tf.layers.dense({ units: 16, activation: 'tanh' }),
      tf.layers.dense({ units: 2 }),
    ],
  });
  const data = batches(16, 32, 2, 2);
  const timing = trainLoop(model, tf.train.sgd(0.1), data, config);
  return { ...timing, batch: 32, samplesPerSecond: timing.stepsPerSecond * 32 };
}

/** LeNet-5 (bench/cnn.ts): TF.js is channels-last, so the input is [28, 28, 1]; same layers and sizes. */
function lenetLayers() {
  const L = tf.layers;
  return [
    L.zeroPadding2d({ padding: 2, inputShape: [28, 28, 1] }),
    L.conv2d({ filters: 6, kernelSize: 5, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: 10 }),
  ];
}

/** The CIFAR-sized network of bench/cnn.ts, channels-last. */
function cifarLayers() {
  const L = tf.layers;
  const block = (filters, first) => [
    L.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      ...(first ? { inputShape: [32, 32, 3] } : {}),
    }),
    L.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
    L.reLU(),
  ];
  return [
    ...block(32, true),
    ...block(32),
    L.maxPooling2d({ poolSize: 2 }),
    ...block(64),
    ...block(64),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 256, activation: 'relu' }),
    L.dense({ units: 10 }),
  ];
}

function cnnTrain(config, layers, [c, h, w], optimizer) {
  const model = tf.sequential({ layers });
  const data = [];
  for (let i = 0; i < 4; i++) {
    const x = tf.randomNormal([64, h, w, c], 0, 1, 'float32');
    const labels = tf.randomUniform([64], 0, 10, 'int32');
    data.push([x, tf.oneHot(labels, 10).toFloat()]);
    labels.dispose();
  }
  // Batch norm must use batch statistics: apply the model in training mode.
  const apply = (x) => model.apply(x, { training: true });
  const timing = trainLoop(
    { apply, getWeights: () => model.getWeights() },
    optimizer,
    data,
    config,
  );
  return { ...timing, batch: 64, samplesPerSecond: timing.stepsPerSecond * 64 };
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exitCode = 1;
});
