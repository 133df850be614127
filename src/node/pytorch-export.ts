import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pytorchExportFiles, type PytorchRecipe } from '../io/pytorch-recipe.js';
import { checkObject } from '../tensor/check.js';
import { checkModule } from '../train/arguments.js';
import { checkPath, writeFileAtomicSync } from './files.js';

/** The scripts every export carries unchanged (the package's pytorch/ folder). */
const FIXED_SCRIPTS = ['train.py', 'nabla_support.py'];

/** Where they are: pytorch/ at the package's root, from dist/node/ or src/node/. */
const SCRIPTS_DIR = fileURLToPath(new URL('../../pytorch/', import.meta.url));

/**
 * Writes a PyTorch project that trains `recipe.model` as nabla would: `model.py` (the network as an
 * `nn.Module` with nabla's layer names), `train.py` (the loss, optimizer, schedule, batch size,
 * data order, seed and stopping rule of `recipe.json`; runs with `python train.py` and with
 * `torchrun --nproc-per-node N train.py`), `nabla_support.py`, `weights.safetensors`,
 * `data.safetensors` and, from a checkpoint, `start.safetensors`. Every file is written
 * atomically; the files returned by name.
 *
 * @example
 * const model = mlp([2, 16, 2]);
 * const { x, y } = datasets.spiral({ samples: 60 });
 * const optimizer = new Adam(model.parameters(), { lr: 0.01 });
 * exportPytorch('out/pytorch', {
 *   model, train: { x, y }, loss: 'crossEntropy', optimizer, batchSize: 16, epochs: 5, seed: 0,
 * });
 * // then: cd out/pytorch && python train.py
 */
export function exportPytorch(dir: string, recipe: PytorchRecipe): string[] {
  checkPath('exportPytorch', 'dir', dir);
  checkObject({ where: 'exportPytorch' }, 'recipe', recipe);
  checkModule('exportPytorch', 'recipe.model', recipe.model);
  const files = pytorchExportFiles(recipe);
  for (const name of FIXED_SCRIPTS) files[name] = readFileSync(join(SCRIPTS_DIR, name), 'utf8');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new Error(`exportPytorch: cannot create the directory ${dir}: ${(e as Error).message}`);
  }
  // The data and weights before the scripts that read them.
  const names = Object.keys(files).sort(
    (a, b) => Number(a.endsWith('.py')) - Number(b.endsWith('.py')),
  );
  for (const name of names) writeFileAtomicSync(join(dir, name), files[name]);
  return names;
}
