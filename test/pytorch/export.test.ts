import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pytorchModelSource } from '../../src/io/pytorch-model.js';
import { pytorchExportFiles, type PytorchRecipe } from '../../src/io/pytorch-recipe.js';
import {
  Adagrad,
  Adam,
  AdamW,
  GELU,
  Linear,
  MultiheadAttention,
  RMSprop,
  SGD,
  Sequential,
  Step,
  crossEntropy,
  lenet5,
  mlp,
  randn,
  tensor,
  type Optimizer,
} from '../../src/node.js';
import { torchPython } from '../../scripts/pytorch-trajectory.js';
import { runNabla } from '../cli/spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-pytorch-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- recipe.json's fields, read as JSON
type Json = any;

function recipeJson(r: PytorchRecipe): Json {
  return JSON.parse(pytorchExportFiles(r)['recipe.json'] as string) as Json;
}

const data = { x: randn([8, 4]), y: tensor([0, 1, 2, 0, 1, 2, 0, 1], { dtype: 'int32' }) };

/** One step of `optimizer` on a small network, so that it has state. */
function stepped(make: (m: Sequential) => Optimizer): { model: Sequential; optimizer: Optimizer } {
  const model = new Sequential(new Linear(4, 3));
  const optimizer = make(model);
  crossEntropy(model.call(data.x), data.y).backward();
  optimizer.step();
  return { model, optimizer };
}

describe('model.py', () => {
  it("writes LeNet-5 with nabla's layer order, so the state dict's names are PyTorch's", () => {
    const model = lenet5({ channels: [16, 32], hidden: [128], batchNorm: true, dropout: 0.25 });
    const py = pytorchModelSource(model, 'runs/x');
    expect(py).toContain('class Net(nn.Sequential):');
    expect(py).toContain(
      'nn.Conv2d(in_channels=1, out_channels=16, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2), dilation=(1, 1), groups=1, bias=True, padding_mode="zeros"),  # 0',
    );
    expect(py).toContain(
      'nn.BatchNorm2d(num_features=16, eps=0.00001, momentum=0.1, affine=True, track_running_stats=True),  # 1',
    );
    expect(py).toContain('nn.Dropout(p=0.25),  # 9');
    expect(py).toContain('nn.Linear(in_features=128, out_features=10, bias=True),  # 13');
    expect(py).not.toContain('init=');
  });

  it('writes nested Sequentials, keyword arguments of activations and its own Step module', () => {
    const model = new Sequential(new Sequential(new Linear(2, 3), new GELU('tanh')), new Step());
    const py = pytorchModelSource(model, 'a test');
    expect(py).toContain(
      '            nn.Sequential(  # 0\n                nn.Linear(in_features=2, out_features=3, bias=True),  # 0.0\n',
    );
    expect(py).toContain('nn.GELU(approximate="tanh"),  # 0.1');
    expect(py).toContain('class Step(nn.Module):');
    expect(py).toContain('            Step(),  # 1');
  });

  it('writes a lone layer as a function, and names a layer PyTorch has no equivalent of', () => {
    expect(pytorchModelSource(new Linear(2, 1), 'x')).toContain(
      'def Net():\n    return nn.Linear(in_features=2, out_features=1, bias=True)',
    );
    const model = new Sequential(new Linear(4, 4), new MultiheadAttention(4, 2));
    expect(() => pytorchModelSource(model, 'x')).toThrow(
      /exportPytorch: the MultiheadAttention module \(at "1"\) has no PyTorch equivalent here; the layers it writes: Linear, /,
    );
  });
});

describe('recipe.json', () => {
  const base = { train: data, loss: 'crossEntropy', batchSize: 4, epochs: 2, seed: 3 } as const;
  it.each([
    [
      'SGD',
      (m: Sequential) => new SGD(m.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true }),
      { lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: true, maximize: false },
      ['momentum_buffer'],
    ],
    [
      'Adam',
      (m: Sequential) => new Adam(m.parameters(), { lr: 0.01, amsgrad: true }),
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: true, maximize: false },
      ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'],
    ],
    [
      'AdamW',
      (m: Sequential) => new AdamW(m.parameters(), { lr: 0.01 }),
      {
        lr: 0.01,
        betas: [0.9, 0.999],
        eps: 1e-8,
        weight_decay: 0.01,
        amsgrad: false,
        maximize: false,
      },
      ['exp_avg', 'exp_avg_sq'],
    ],
    [
      'Adagrad',
      (m: Sequential) => new Adagrad(m.parameters(), { lr: 0.1 }),
      {
        lr: 0.1,
        lr_decay: 0,
        weight_decay: 0,
        initial_accumulator_value: 0,
        eps: 1e-10,
        maximize: false,
      },
      ['sum'],
    ],
    [
      'RMSprop',
      (m: Sequential) => new RMSprop(m.parameters(), { lr: 0.01, momentum: 0.5 }),
      {
        lr: 0.01,
        alpha: 0.99,
        eps: 1e-8,
        weight_decay: 0,
        momentum: 0.5,
        centered: false,
        maximize: false,
      },
      ['square_avg', 'momentum_buffer'],
    ],
  ])(
    'maps %s to torch.optim with its hyperparameters and state',
    (name, make, options, tensors) => {
      const { model, optimizer } = stepped(make);
      const r = recipeJson({ ...base, model, optimizer });
      expect(r.optimizer.torch).toBe(name);
      expect(r.optimizer.options).toEqual(options);
      expect([...r.optimizer.tensors['0']].sort()).toEqual([...tensors].sort());
      const files = pytorchExportFiles({ ...base, model, optimizer });
      expect(Object.keys(files).sort()).toEqual([
        'data.safetensors',
        'model.py',
        'recipe.json',
        'weights.safetensors',
      ]);
    },
  );

  it('records the data, loss, schedule, stopping rule and augmentation as train.py reads them', () => {
    const model = mlp([4, 3]);
    const r = recipeJson({
      ...base,
      model,
      optimizer: new SGD(model.parameters(), { lr: 0.5 }),
      validation: data,
      loss: 'softmaxMse',
      batchSize: 'full',
      cosineAnnealing: { tMax: 7 },
      earlyStopping: { patience: 3 },
      augment: { padding: 2, flip: false },
      l2: 1e-4,
    });
    expect(r.data).toEqual({ file: 'data.safetensors', input_shape: [4], classes: 3 });
    expect(r.loss).toBe('softmax_mse');
    expect(r.batch_size).toBe('full');
    expect(r.schedule).toEqual({ kind: 'cosine', t_max: 7, eta_min: 0, base_lr: 0.5 });
    expect(r.early_stopping).toEqual({ patience: 3, min_delta: 0, restore_best_weights: true });
    expect(r.augment).toEqual({ padding: 2, flip: false });
    expect(r.l2).toBe(1e-4);
    expect(r.optimizer.state).toBeNull();
    expect(r.start).toBeNull();
  });
});

describe('nabla export --pytorch', () => {
  const run = join(out, 'run');
  beforeAll(() => {
    const args = ['train', '--data', 'spiral', '--max-steps', '40', '--checkpoint-every', '20'];
    const r = runNabla([...args, '--optimizer', 'momentum', '--out', run, '--no-progress']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  it("writes a run's folder (its trained weights, a fresh optimizer) and a checkpoint (its state and position)", () => {
    const a = runNabla(['export', run, '--pytorch', join(out, 'a')]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toMatch(
      /^wrote recipe\.json, weights\.safetensors, data\.safetensors, model\.py, train\.py, nabla_support\.py in .*, from its trained weights\n/,
    );
    const b = runNabla(['export', join(run, 'checkpoints'), '--pytorch', join(out, 'b')]);
    expect(b.stderr).toBe('');
    expect(b.stdout).toContain('start.safetensors');
    expect(b.stdout).toContain('from its checkpoint (step 40)');
    const recipe = JSON.parse(readFileSync(join(out, 'b', 'recipe.json'), 'utf8'));
    expect(recipe.start).toMatchObject({
      steps: 40,
      generator: { algorithm: 'xoshiro128**', seed: 0 },
    });
    expect(recipe.optimizer).toMatchObject({ torch: 'SGD', options: { momentum: 0.9, lr: 0.05 } });
    expect(recipe.max_steps).toBe(40);
  });

  it('refuses a folder that is neither, and a summary.json without the flags, in one line each', () => {
    const r = runNabla(['export', out, '--pytorch', join(out, 'c')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toMatch(
      /holds neither a checkpoint \(checkpoint\.safetensors\) nor a run of nabla train \(summary\.json\)$/,
    );
    const old = join(out, 'old');
    writeFileSync(join(out, 'summary.json'), '{"data":"spiral"}');
    const s = runNabla(['export', out, '--pytorch', old]);
    expect(s.stderr.trim()).toMatch(
      /summary\.json does not record the run's flags .*: train again, or export one of its checkpoints$/,
    );
    const none = runNabla(['export', run]);
    expect(none.stderr.trim()).toMatch(/say what to write: --onnx FILE, --pytorch DIR or both$/);
  });

  const python = torchPython();
  it.skipIf(python === undefined)(
    "train.py goes on from the checkpoint and gives nabla's test loss",
    () => {
      const dir = join(out, 'b');
      const r = spawnSync(python!, ['train.py', '--out', join(dir, 'torch')], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
      // The checkpoint stands at the run's last step: train.py adds none and tests the same weights.
      expect(r.stdout).toContain(`test loss ${summary.test.loss.toFixed(4)}`);
      expect(r.stdout).toContain('trained 40 steps');
      const more = spawnSync(
        python!,
        ['train.py', '--max-steps', '60', '--quiet', '--out', join(dir, 'more')],
        { cwd: dir, encoding: 'utf8' },
      );
      expect(more.status).toBe(0);
      expect(more.stdout).toContain('trained 60 steps');
    },
    120_000,
  );
});
