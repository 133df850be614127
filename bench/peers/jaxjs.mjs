/**
 * jax-js (@jax-js/jax) side of bench/compare.ts, on its WebAssembly device: one case in one
 * process. Each training step is one `jit`-compiled function (loss, `valueAndGrad`, the update),
 * run to its end before the next (see `train`): jax-js's best configuration. Adam is written out
 * in the step (jax-js itself has no optimizers).
 * jax-js moves arrays by reference count: an array passed to a function is consumed, `.ref` keeps
 * a copy. In Node 20 there is no global `Worker`, so its WebAssembly runs on one thread.
 *
 *   node bench/peers/jaxjs.mjs '{"case":"mlp-sgd"}'
 *
 * Prints one line `RESULT {json}` that bench/compare.ts parses.
 */
import { defaultDevice, init, jit, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { gemmSizes, printResult, timeRepeats, timeWindows } from './timing.mjs';

const config = JSON.parse(process.argv[2] ?? '{}');
let seed = 0;
const key = () => random.key(seed++);

async function main() {
  const devices = await init('wasm');
  if (!devices.includes('wasm')) throw new Error(`jax-js: no wasm device (${devices.join(', ')})`);
  defaultDevice('wasm');
  // The package's `exports` hide its package.json: read it beside the resolved entry point.
  const entry = createRequire(import.meta.url).resolve('@jax-js/jax');
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(entry), '../package.json'), 'utf8'));
  const info = {
    framework: 'jaxjs',
    version: pkg.version,
    device: defaultDevice(),
    threads: typeof Worker === 'undefined' ? 1 : undefined,
  };
  let result;
  switch (config.case) {
    case 'gemm':
      result = gemm(config);
      break;
    case 'mlp-sgd':
      result = mlp(config, sgd(0.01));
      break;
    case 'mlp-adam':
      result = mlp(config, adam(1e-3));
      break;
    case 'tiny':
      result = tiny(config);
      break;
    default:
      throw new Error(`jaxjs.mjs: unknown case ${JSON.stringify(config.case)}`);
  }
  printResult({ ...info, case: config.case, ...result });
}

function gemm(config) {
  const sizes = [];
  for (const n of config.sizes ?? gemmSizes) {
    const a = random.normal(key(), [n, n]);
    const b = random.normal(key(), [n, n]);
    // dataSync() consumes the product and waits for it.
    const once = () => np.matmul(a.ref, b.ref).dataSync();
    sizes.push({ n, ...timeRepeats(once, n, config) });
    a.dispose();
    b.dispose();
  }
  return { sizes };
}

/** A dense ReLU/tanh network's parameters: He-scaled normal weights, zero biases. */
function dense(widths) {
  return widths.slice(1).map((out, i) => ({
    w: random.normal(key(), [widths[i], out]).mul(Math.sqrt(2 / widths[i])),
    b: np.zeros([out]),
  }));
}

/** Mean softmax cross-entropy of `layers` on (x, one-hot y), `act` between the layers. */
function lossOf(act) {
  return (layers, x, y) => {
    const batch = x.shape[0];
    let h = x;
    layers.forEach((l, i) => {
      h = np.matmul(h, l.w).add(l.b);
      if (i < layers.length - 1) h = act(h);
    });
    return nn
      .logSoftmax(h, -1)
      .mul(y)
      .sum()
      .mul(-1 / batch);
  };
}

/** Plain SGD: p − lr·g. */
function sgd(lr) {
  return {
    init: () => ({}),
    update: (params, grads, state) => [tree.map((p, g) => p.sub(g.mul(lr)), params, grads), state],
  };
}

/** Adam (β 0.9, 0.999, ε 1e-8) with bias correction; the step count is an array in the state. */
function adam(lr, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  return {
    init: (params) => ({
      m: tree.map((p) => np.zerosLike(p), tree.ref(params)),
      v: tree.map((p) => np.zerosLike(p), tree.ref(params)),
      t: np.zeros([]),
    }),
    update: (params, grads, { m, v, t }) => {
      const t1 = t.add(1);
      const c1 = np.power(b1, t1.ref).mul(-1).add(1);
      const c2 = np.power(b2, t1.ref).mul(-1).add(1);
      const m1 = tree.map((mi, g) => mi.mul(b1).add(g.mul(1 - b1)), m, tree.ref(grads));
      const v1 = tree.map((vi, g) => vi.mul(b2).add(g.ref.mul(g).mul(1 - b2)), v, grads);
      const next = tree.map(
        (p, mi, vi) =>
          p.sub(
            mi
              .div(c1.ref)
              .mul(lr)
              .div(np.sqrt(vi.div(c2.ref)).add(eps)),
          ),
        params,
        tree.ref(m1),
        tree.ref(v1),
      );
      c1.dispose();
      c2.dispose();
      return [next, { m: m1, v: v1, t: t1 }];
    },
  };
}

/** Random batches held in memory: inputs N(0,1), one-hot labels of random classes. */
function batches(count, batch, inputs, classes) {
  return Array.from({ length: count }, () => {
    const labels = Int32Array.from({ length: batch }, () => Math.floor(Math.random() * classes));
    return [random.normal(key(), [batch, inputs]), nn.oneHot(np.array(labels), classes)];
  });
}

/** Trains `layers` with `opt` on `data`, timed; each step is one jit-compiled function. */
function train(layers, act, opt, data, config) {
  const loss = lossOf(act);
  const step = jit((params, state, x, y) => {
    const [l, grads] = valueAndGrad(loss)(tree.ref(params), x, y);
    const [next, nextState] = opt.update(params, grads, state);
    return [l, next, nextState];
  });
  let params = layers;
  let state = opt.init(params);
  let last;
  let i = 0;
  const run = () => {
    const [x, y] = data[i++ % data.length];
    last?.dispose();
    [last, params, state] = step(params, state, x.ref, y.ref);
    // jax-js is lazy: work is queued until an array is read. Reading a first-layer bias (which
    // needs the whole backward pass) every step keeps the queue and the memory short: ~3× the
    // steps/s of reading once per window here, and a flat RSS instead of ~1.4 MB per queued step.
    params[0].b.ref.dataSync();
  };
  let check;
  const sync = () => {
    check = last.dataSync()[0];
    last = undefined;
  };
  return { ...timeWindows(run, sync, config), check };
}

function mlp(config, opt) {
  const timing = train(dense([784, 256, 128, 10]), nn.relu, opt, batches(8, 128, 784, 10), config);
  return { ...timing, batch: 128, samplesPerSecond: timing.stepsPerSecond * 128 };
}

function tiny(config) {
  const timing = train(dense([2, 16, 16, 2]), np.tanh, sgd(0.1), batches(16, 32, 2, 2), config);
  return { ...timing, batch: 32, samplesPerSecond: timing.stepsPerSecond * 32 };
}

main().catch((e) => {
  console.error(e?.stack ?? String(e));
  process.exitCode = 1;
});
