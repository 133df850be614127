/**
 * The proof that moving a run to PyTorch changes nothing: small networks trained for 20 steps in
 * float64 by nabla's `fit`, and by the `train.py` that `exportPytorch` writes for the same weights,
 * data, seed and recipe — on one process and on two (`torchrun`, gloo). Prints the largest
 * difference per network and leg; the test (test/pytorch/trajectory.test.ts) asserts 1e-10.
 *
 *     node --import tsx scripts/pytorch-trajectory.ts
 *
 * Needs a Python with PyTorch (Debian's python3-torch): `python3`, else /usr/bin/python3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  BatchNorm2d,
  Conv2d,
  CosineAnnealingLR,
  decodeSafetensors,
  Flatten,
  Generator,
  Linear,
  MaxPool2d,
  ReLU,
  SGD,
  Sequential,
  Tanh,
  fit,
  manualSeed,
  randn,
  tensor,
  type Module,
  type Optimizer,
  type Tensor,
  type TrainingCheckpoint,
} from '../src/node.js';
import { exportPytorch } from '../src/node/pytorch-export.js';
import type { PytorchRecipe } from '../src/io/pytorch-recipe.js';

const STEPS = 20;

/**
 * torchrun's flags. `--redirects 2 --tee 2`: torch 1.13's torchrun on Python 3.11 (Debian 12)
 * cannot read its own default of 0 for them (3.11 no longer iterates a flag enum's zero member).
 */
const TORCHRUN_FLAGS = ['--standalone', '--redirects', '2', '--tee', '2', '--nproc_per_node'];
const F64 = { dtype: 'float64' } as const;

/** A Python that imports torch, or undefined. */
export function torchPython(): string | undefined {
  const env = pythonEnv();
  for (const py of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(py, ['-c', 'import torch'], { env, stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** The environment without the two OpenBLAS variables this machine sets (they halve OpenBLAS). */
function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** A network of the proof, with its data and how it trains. */
interface Case {
  name: string;
  build: () => Module;
  inputShape: number[];
  optimizer: (m: Module) => Optimizer;
  batchSize: number;
  cosine?: number;
  l2?: number;
  /** Whether 1 and 2 processes should agree (not with batch norm: each process normalizes its part). */
  ddp: boolean;
  /** Training examples (70 unless given). */
  rows?: number;
}

export const CASES: readonly Case[] = [
  {
    name: 'mlp',
    build: () =>
      new Sequential(
        new Linear(6, 16, F64),
        new Tanh(),
        new Linear(16, 12, F64),
        new ReLU(),
        new Linear(12, 3, F64),
      ),
    inputShape: [6],
    optimizer: (m) => new Adam(m.parameters(), { lr: 0.01, weightDecay: 1e-3 }),
    batchSize: 16,
    l2: 1e-3,
    ddp: true,
    // Epochs of 4 batches of 16 and one of 1: fewer rows than processes, which each take whole.
    rows: 65,
  },
  {
    name: 'cnn',
    build: () =>
      new Sequential(
        new Conv2d(1, 4, 3, { padding: 1, ...F64 }),
        new ReLU(),
        new MaxPool2d(2),
        new Conv2d(4, 6, 3, F64),
        new ReLU(),
        new Flatten(),
        new Linear(24, 3, F64),
      ),
    inputShape: [1, 8, 8],
    optimizer: (m) =>
      new SGD(m.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4 }),
    batchSize: 10,
    cosine: 4,
    ddp: true,
  },
  {
    name: 'cnn-batchnorm',
    build: () =>
      new Sequential(
        // No bias before batch norm: its gradient is rounding noise, which Adam scales up.
        new Conv2d(1, 4, 3, { padding: 1, bias: false, ...F64 }),
        new BatchNorm2d(4, F64),
        new ReLU(),
        new MaxPool2d(2),
        new Flatten(),
        new Linear(64, 3, F64),
      ),
    inputShape: [1, 8, 8],
    optimizer: (m) => new Adam(m.parameters(), { lr: 0.01 }),
    batchSize: 10,
    ddp: false,
  },
];

/** Random inputs and labels in float64, from a generator of their own. */
function data(shape: number[], n: number, seed: number): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const x = randn([n, ...shape], { ...F64, generator: g });
  const y = tensor(
    Array.from({ length: n }, () => g.uniformInt(3)),
    { dtype: 'int32' },
  );
  return { x, y };
}

/** Every step's loss and state (copies) as nabla trains. */
interface Trajectory {
  losses: number[];
  states: Record<string, Float64Array>[];
}

/** nabla's run, and the checkpoint it saved halfway (after step STEPS / 2). */
function nablaRun(
  c: Case,
  recipe: PytorchRecipe,
  model: Module,
  optimizer: Optimizer,
): Trajectory & { halfway: TrainingCheckpoint } {
  const states: Record<string, Float64Array>[] = [];
  let halfway: TrainingCheckpoint | undefined;
  const history = fit(model, recipe.train, {
    loss: 'crossEntropy',
    optimizer,
    batchSize: c.batchSize,
    epochs: recipe.epochs,
    maxSteps: STEPS,
    seed: recipe.seed,
    l2: c.l2 ?? 0,
    validation: recipe.validation,
    scheduler:
      c.cosine === undefined ? undefined : new CosineAnnealingLR(optimizer, { tMax: c.cosine }),
    callbacks: { onBatchEnd: () => void states.push(snapshot(model)) },
    checkpoint: { every: STEPS / 2, save: (k) => (halfway ??= k) },
  });
  return { losses: history.batchLosses, states, halfway: halfway! };
}

/** The last `n` steps of a trajectory. */
function lastSteps(t: Trajectory, n: number): Trajectory {
  return { losses: t.losses.slice(-n), states: t.states.slice(-n) };
}

function snapshot(model: Module): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [k, t] of Object.entries(model.stateDict()))
    if (t.dtype === 'float64') out[k] = Float64Array.from(t.data as Float64Array);
  return out;
}

/** train.py's trajectory (its --trace file). */
function pythonRun(python: string, dir: string, processes: number): Trajectory {
  const trace = join(dir, `trace-${processes}.safetensors`);
  const args = [
    'train.py',
    '--quiet',
    '--max-steps',
    String(STEPS),
    '--trace',
    trace,
    '--out',
    join(dir, `out-${processes}`),
  ];
  const command =
    processes === 1
      ? [python, args]
      : [python, ['-m', 'torch.distributed.run', ...TORCHRUN_FLAGS, String(processes), ...args]];
  const r = spawnSync(command[0] as string, command[1] as string[], {
    cwd: dir,
    timeout: 600_000,
    env: pythonEnv(),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`train.py (${processes} processes) failed:\n${r.stderr}`);
  const tensors = decodeSafetensors(readFileSync(trace)).tensors;
  const losses = Array.from(tensors.get('loss')!.data);
  const steps = Array.from(tensors.get('step')!.data);
  const states = steps.map((step) => {
    const s: Record<string, Float64Array> = {};
    for (const [k, t] of tensors)
      if (k.startsWith(`step${step}.`) && t.dtype === 'float64')
        s[k.slice(`step${step}.`.length)] = t.data as Float64Array;
    return s;
  });
  return { losses, states };
}

/** The comparisons: nabla against train.py, 1 process against 2, and train.py from nabla's checkpoint. */
export type Leg = 'torch' | 'ddp' | 'checkpoint';

/** The largest differences between two runs. */
export interface Difference {
  loss: number;
  weight: number;
  steps: number;
}

/** The largest absolute difference of losses and of every weight, over all steps. */
export function largestDifference(a: Trajectory, b: Trajectory): Difference {
  if (a.losses.length !== b.losses.length)
    throw new Error(`${a.losses.length} steps against ${b.losses.length}`);
  let loss = 0;
  let weight = 0;
  a.losses.forEach((l, i) => {
    loss = Math.max(loss, Math.abs(l - b.losses[i]));
    for (const [k, v] of Object.entries(a.states[i])) {
      const w = b.states[i][k];
      if (w === undefined) throw new Error(`step ${i + 1}: ${k} is missing from the other run`);
      for (let j = 0; j < v.length; j++) weight = Math.max(weight, Math.abs(v[j] - w[j]));
    }
  });
  return { loss, weight, steps: a.losses.length };
}

/** One network: nabla, train.py on 1 process, train.py on 2. */
export function prove(c: Case, python: string): Record<Leg, Difference> {
  manualSeed(11);
  const model = c.build();
  const optimizer = c.optimizer(model);
  const split = {
    train: data(c.inputShape, c.rows ?? 70, 1),
    validation: data(c.inputShape, 20, 2),
  };
  const recipe: PytorchRecipe = {
    model,
    ...split,
    loss: 'crossEntropy',
    optimizer,
    batchSize: c.batchSize,
    epochs: 10,
    seed: 5,
    l2: c.l2,
    cosineAnnealing: c.cosine === undefined ? undefined : { tMax: c.cosine },
    source: `the ${c.name} of scripts/pytorch-trajectory.ts`,
  };
  const dir = mkdtempSync(join(tmpdir(), `nabla-proof-${c.name}-`));
  const resumed = join(dir, 'from-checkpoint');
  try {
    exportPytorch(dir, recipe);
    const ours = nablaRun(c, recipe, model, optimizer);
    const one = pythonRun(python, dir, 1);
    const two = pythonRun(python, dir, 2);
    // From the checkpoint of step 10: its weights, optimizer state, epoch, order and generator.
    const again = c.build();
    again.loadStateDict(ours.halfway.model);
    exportPytorch(resumed, { ...recipe, model: again, checkpoint: ours.halfway });
    const rest = pythonRun(python, resumed, 1);
    return {
      torch: largestDifference(ours, one),
      ddp: largestDifference(one, two),
      checkpoint: largestDifference(lastSteps(ours, STEPS / 2), rest),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const python = torchPython();
  if (python === undefined)
    throw new Error('no Python with PyTorch (apt-get install python3-torch)');
  for (const c of CASES) {
    const d = prove(c, python);
    const note = c.ddp ? '' : ' (not expected to agree: each process normalizes its own part)';
    const k = d.checkpoint;
    console.log(
      `${c.name.padEnd(14)} nabla vs train.py: loss ${d.torch.loss.toExponential(2)}, weights ${d.torch.weight.toExponential(2)} over ${d.torch.steps} steps; 1 vs 2 processes: loss ${d.ddp.loss.toExponential(2)}, weights ${d.ddp.weight.toExponential(2)}${note}; from the step-${STEPS / 2} checkpoint: loss ${k.loss.toExponential(2)}, weights ${k.weight.toExponential(2)} over ${k.steps} steps`,
    );
  }
}
