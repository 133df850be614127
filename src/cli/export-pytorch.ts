/**
 * `nabla export DIR --pytorch OUT`: a run of `nabla train` (its folder, from its trained weights)
 * or one of its checkpoints (from exactly where it stood: weights, optimizer state, epoch, order)
 * as a PyTorch project that trains on as nabla would (src/node/pytorch-export.ts writes it).
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE } from '../node/fit.js';
import { load } from '../node/model-files.js';
import { exportPytorch } from '../node/pytorch-export.js';
import type { PytorchRecipe } from '../io/pytorch-recipe.js';
import type { Module } from '../nn/module.js';
import { manualSeed } from '../tensor/state.js';
import { prepareData } from './data.js';
import { UsageError } from './errors.js';
import { annealed, asImages, augmentationSpec, buildNetwork } from './network.js';
import { optimizerFactory } from './optimizer.js';
import { savedFlags } from './saved.js';
import { parseTrainFlags, type TrainFlags, type TrainPlan } from './train-flags.js';

/** The plan of the run in `dir`: from its checkpoint, or from the flags its summary.json kept. */
function planOf(dir: string): TrainPlan {
  if (existsSync(join(dir, CHECKPOINT_FILE)))
    return parseTrainFlags({ resume: dir, progress: false } as TrainFlags, ['--resume']);
  const file = join(dir, 'summary.json');
  if (!existsSync(file))
    throw new UsageError(
      `${dir} holds neither a checkpoint (${CHECKPOINT_FILE}) nor a run of nabla train (summary.json)`,
    );
  const summary = JSON.parse(readFileSync(file, 'utf8')) as { flags?: unknown };
  if (summary.flags === undefined)
    throw new UsageError(
      `${file} does not record the run's flags (it was written before nabla recorded them): train again, or export one of its checkpoints`,
    );
  return parseTrainFlags(savedFlags(summary, file), []);
}

/** The network with the weights to start from: the checkpoint's, else the saved model's. */
function startingModel(dir: string, plan: TrainPlan, build: () => Module): Module {
  const checkpoint = plan.resume?.checkpoint;
  if (checkpoint === undefined) return load(dir).model;
  const model = build();
  model.loadStateDict(checkpoint.model);
  return model;
}

/** How the run trains, as exportPytorch takes it. */
function recipeOf(dir: string, plan: TrainPlan): PytorchRecipe {
  const flat = prepareData(plan.flags.data, plan.data);
  const data = plan.network.kind === 'cnn' ? asImages(flat) : flat;
  manualSeed(plan.seed);
  const model = startingModel(dir, plan, () => buildNetwork(plan.network, data));
  const { lr, momentum, weightDecay, patience } = plan.fit;
  const optimizer = optimizerFactory(plan.fit.optimizer, { lr, momentum, weightDecay })(
    model.parameters(),
  );
  return {
    model,
    train: data.train,
    validation: data.validation,
    test: data.test,
    loss: plan.fit.loss === 'mse' ? 'softmaxMse' : 'crossEntropy',
    optimizer,
    batchSize: plan.fit.batchSize,
    epochs: plan.fit.epochs,
    maxSteps: plan.fit.maxSteps,
    seed: plan.seed,
    l2: plan.fit.l2,
    jitter: plan.fit.jitter,
    augment: augmentationSpec(plan.network, data),
    earlyStopping: patience > 0 ? { patience, restoreBestWeights: true } : undefined,
    cosineAnnealing: annealed(plan) ? { tMax: plan.fit.epochs } : undefined,
    checkpoint: plan.resume?.checkpoint,
    source: dir,
  };
}

/** `nabla export DIR --pytorch OUT`. */
export function exportPytorchCommand(dir: string, out: string, log: (line: string) => void): void {
  const plan = planOf(dir);
  if (plan.fit.restarts > 1)
    throw new UsageError(
      `${dir} was trained with --restarts ${plan.fit.restarts}; train.py trains one run`,
    );
  const recipe = recipeOf(dir, plan);
  const files = exportPytorch(out, recipe);
  const from =
    recipe.checkpoint === undefined
      ? 'its trained weights'
      : `its checkpoint (step ${recipe.checkpoint.history.steps})`;
  log(`wrote ${files.join(', ')} in ${out}, from ${from}`);
  log(`train on with: cd ${out} && python train.py   (or torchrun --nproc_per_node N train.py)`);
}
