/**
 * The cases themselves, run in a child process: the training loops, the memory samples taken
 * along them, and the `RESULT` line the child prints.
 */
import {
  Adam,
  crossEntropy,
  DataLoader,
  datasets,
  fit,
  getBackend,
  manualSeed,
  mlp,
  randint,
  randn,
  SGD,
  TensorDataset,
  type Tensor,
} from 'nabla/node';
import { collectGarbage, fixed, now, peakRssMB } from '../report.js';
import {
  CASES,
  type CaseName,
  type CaseResult,
  type CaseRun,
  MB,
  plan,
  type Plan,
  type Sample,
  warmupFor,
} from './plan.js';
import { Snapshots } from './snapshots.js';

/**
 * The `mlp` case runs fewer steps (whole intervals) when 5,000 would take longer than this, and is
 * skipped when fewer than MLP_MIN_STEPS would fit (the `js` backend); `--steps` overrides both.
 */
const MLP_BUDGET_S = 60;
const MLP_MIN_STEPS = 2_000;

/** A memory sample after a full collection, at `step`, `t0` being the start of the run. */
function sample(step: number, t0: number): Sample {
  collectGarbage();
  const m = process.memoryUsage();
  return {
    step,
    seconds: (now() - t0) / 1000,
    heapUsedMB: m.heapUsed / MB,
    externalMB: m.external / MB,
    arrayBuffersMB: m.arrayBuffers / MB,
    rssMB: m.rss / MB,
  };
}

/** The 512 spiral points of the tiny cases, and a shuffling loader of batches of 32. */
function spiralLoader(): { data: ReturnType<typeof datasets.spiral>; loader: DataLoader } {
  const data = datasets.spiral({ samples: 512, noise: 0.1, seed: 0 });
  const loader = new DataLoader(new TensorDataset(data.x, data.y), {
    batchSize: 32,
    shuffle: true,
  });
  return { data, loader };
}

/** The optimizer of the tiny cases: SGD with momentum. */
const tinySGD = (params: ConstructorParameters<typeof SGD>[0]): SGD =>
  new SGD(params, { lr: 0.05, momentum: 0.9 });

/** One step of the hand-written loops on the batch (x, y); returns the loss. */
function trainStep(
  model: { call(x: Tensor): Tensor },
  opt: { zeroGrad(): void; step(): void },
  x: Tensor,
  y: Tensor,
): number {
  opt.zeroGrad();
  const loss = crossEntropy(model.call(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

/**
 * After training step `step`: a memory sample every `interval` steps and at the last one, and a
 * heap snapshot (when asked for) at the warm-up step and at the last one.
 */
function record(step: number, p: Plan, samples: Sample[], t0: number, snaps: Snapshots): void {
  if (step % p.interval === 0 || step === p.steps) {
    samples.push(sample(step, t0));
    if (step === p.warmupStep || step === p.steps) snaps.take(step);
  }
}

/** The `loop` case: the tiny network through a hand-written loop. */
function runLoop(p: Plan): CaseRun {
  manualSeed(0);
  const { loader } = spiralLoader();
  const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
  const opt = tinySGD(model.parameters());
  const snaps = new Snapshots('loop', p.snapshots);
  const samples: Sample[] = [];
  const t0 = now();
  samples.push(sample(0, t0));
  let step = 0;
  let last = NaN;
  while (step < p.steps) {
    for (const [x, y] of loader) {
      last = trainStep(model, opt, x, y);
      step++;
      record(step, p, samples, t0, snaps);
      if (step >= p.steps) break;
    }
  }
  const seconds = (now() - t0) / 1000;
  return {
    seconds,
    stepsPerSecond: p.steps / seconds,
    finalLoss: last,
    samples,
    snapshots: snaps.result(),
  };
}

/** The `fit` case: the tiny network through `fit()`, and the heap its returned history holds. */
function runFit(p: Plan): CaseRun {
  manualSeed(0);
  const { data } = spiralLoader();
  const model = mlp([2, 16, 16, 2], { activation: 'tanh' });
  const snaps = new Snapshots('fit', p.snapshots);
  const samples: Sample[] = [];
  const batches = Math.ceil(512 / 32);
  const t0 = now();
  samples.push(sample(0, t0));
  let history: ReturnType<typeof fit> | undefined = fit(model, data, {
    optimizer: tinySGD,
    batchSize: 32,
    epochs: Math.ceil(p.steps / batches),
    maxSteps: p.steps,
    callbacks: {
      onBatchEnd(info) {
        record(info.step, p, samples, t0, snaps);
      },
    },
  });
  const seconds = (now() - t0) / 1000;
  const finalLoss = history.batchLosses[history.batchLosses.length - 1];
  const steps = history.steps;
  // What the history holds: the heap freed by letting go of it.
  collectGarbage();
  const withHistory = process.memoryUsage().heapUsed;
  history = undefined;
  collectGarbage();
  const historyMB = (withHistory - process.memoryUsage().heapUsed) / MB;
  return {
    seconds,
    stepsPerSecond: steps / seconds,
    finalLoss,
    samples,
    historyMB,
    snapshots: snaps.result(),
  };
}

/** The `mlp` case: the 784-256-128-10 MLP with Adam, shortened to the time budget. */
function runMlp(p: Plan): CaseRun {
  manualSeed(0);
  const data: [Tensor, Tensor][] = [];
  for (let i = 0; i < 8; i++) data.push([randn([128, 784]), randint(0, 10, [128])]);
  const model = mlp([784, 256, 128, 10], { activation: 'relu' });
  const opt = new Adam(model.parameters(), { lr: 1e-3 });
  let step = 0;
  let last = NaN;
  const next = (): void => {
    const [x, y] = data[step % data.length];
    last = trainStep(model, opt, x, y);
    step++;
  };
  // Project the run's time from a few steps (they count towards the run).
  const probeStart = now();
  while (step < 20 || now() - probeStart < 1000) next();
  const msPerStep = (now() - probeStart) / step;
  const projected = (p.steps * msPerStep) / 1000;
  let note: string | undefined;
  if (projected > MLP_BUDGET_S && !p.explicit) {
    // A slow backend or busy cores: as many whole intervals as fit in the budget.
    const fits = Math.floor((MLP_BUDGET_S * 1000) / msPerStep / p.interval) * p.interval;
    if (fits < MLP_MIN_STEPS) {
      return {
        seconds: 0,
        stepsPerSecond: 1000 / msPerStep,
        finalLoss: last,
        samples: [],
        skipped: `${p.steps} steps would take ~${Math.round(projected)} s on backend ${getBackend()} (budget ${MLP_BUDGET_S} s); run it alone with --steps`,
      };
    }
    note = `${fits} steps instead of ${p.steps}: ${p.steps} would take ~${Math.round(projected)} s at ${fixed(1000 / msPerStep, 0)} steps/s (budget ${MLP_BUDGET_S} s)`;
    p.steps = fits;
    p.warmupStep = warmupFor(fits, p.interval);
  }
  const snaps = new Snapshots('mlp', p.snapshots);
  const samples: Sample[] = [];
  const t0 = now();
  samples.push(sample(step, t0));
  while (step < p.steps) {
    next();
    record(step, p, samples, t0, snaps);
  }
  const seconds = (now() - t0) / 1000;
  return {
    seconds,
    stepsPerSecond: (p.steps - samples[0].step) / seconds,
    finalLoss: last,
    samples,
    snapshots: snaps.result(),
    note,
  };
}

/** Runs one case in this (child) process and prints its `RESULT` line. */
export function child(name: CaseName, steps: number | undefined, snapshots: boolean): void {
  const p = plan(name, steps, snapshots);
  const run = { loop: runLoop, fit: runFit, mlp: runMlp }[name];
  const r = run(p);
  const result: CaseResult = {
    case: name,
    title: CASES[name],
    backend: getBackend(),
    steps: p.steps,
    interval: p.interval,
    warmupStep: p.warmupStep,
    ...r,
    peakRssMB: peakRssMB(),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}
