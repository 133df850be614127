/**
 * `fit` in Node: the core's `fit`, with checkpoints in a folder. `checkpoint: { dir, every }`
 * writes `dir/checkpoint.safetensors` every `every` steps — to a temporary file that is flushed
 * to disk and renamed over the previous checkpoint, so that a crash at any moment leaves the last
 * complete one — and `resumeFrom: dir` goes on from it. Temporary files a killed run left in
 * the folder are removed when a run starts or resumes.
 */
import { lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Module } from '../nn/module.js';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.js';
import type { TrainingCheckpoint } from '../train/checkpoint.js';
import { fit as coreFit } from '../train/fit.js';
import type { FitOptions, History, TrainingData } from '../train/types.js';
import { checkPath, readFileChecked, writeFileAtomicSync } from './files.js';

/** The checkpoint's file name in its folder. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** The temporary files `writeFileAtomicSync` makes for a checkpoint: `<file>.<pid>.<12 hex>.tmp`. */
const TEMP_PATTERN = /^checkpoint\.safetensors\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Whether process `pid` is running (another run may be writing its temporary file). */
function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary checkpoint files a killed run left in `dir`: only regular files named as
 * nabla names them, last changed before `before` (ms since the epoch), and not being written by a
 * running process. Returns the names removed; a folder that cannot be read removes nothing.
 */
export function removeStaleTemps(dir: string, before: number): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_PATTERN.exec(name);
    if (m === null || alive(Number(m[1]))) continue;
    try {
      const st = lstatSync(join(dir, name));
      if (!st.isFile() || st.mtimeMs >= before) continue;
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return removed;
}

/** Reads and checks the checkpoint in `dir`; a missing or broken file is an error naming it. */
export function readCheckpoint(dir: string): TrainingCheckpoint {
  checkPath('readCheckpoint', 'dir', dir);
  const path = join(dir, CHECKPOINT_FILE);
  return decodeCheckpoint(readFileChecked(path, 'checkpoint'), path);
}

/**
 * Trains `model` as the core's `fit` does; in addition `checkpoint.dir` saves checkpoints in a
 * folder and `resumeFrom` may name that folder.
 *
 * @example
 * const data = datasets.spiral({ samples: 90, classes: 3 });
 * const model = mlp([2, 16, 3], { activation: 'tanh' });
 * fit(model, data, { epochs: 50, checkpoint: { dir: 'runs/spiral/checkpoints', every: 100 } });
 * // … after a crash or Ctrl-C:
 * fit(model, data, { epochs: 50, resumeFrom: 'runs/spiral/checkpoints' });
 */
export function fit(model: Module, data: TrainingData, options: FitOptions = {}): History {
  const started = Date.now();
  const o: FitOptions = { ...options };
  const c = options.checkpoint;
  if (typeof options.resumeFrom === 'string') removeStaleTemps(options.resumeFrom, started);
  if (c?.dir !== undefined && c.save === undefined) {
    const dir = c.dir;
    mkdirSync(dir, { recursive: true });
    removeStaleTemps(dir, started);
    o.checkpoint = {
      ...c,
      save: (checkpoint) =>
        writeFileAtomicSync(join(dir, CHECKPOINT_FILE), encodeCheckpoint(checkpoint)),
    };
  }
  if (typeof options.resumeFrom === 'string') o.resumeFrom = readCheckpoint(options.resumeFrom);
  return coreFit(model, data, o);
}
