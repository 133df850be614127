/**
 * `nabla train --resume DIR`: the run goes on with the flags its checkpoint recorded (checked by
 * saved.ts); the few flags that may change a resumed run apply, any other is refused.
 *
 * @module
 */
import { resolve } from 'node:path';
import { readCheckpoint } from '../node/fit.js';
import { UsageError } from './errors.js';
import { savedFlags } from './saved.js';
import type { TrainFlags, TrainPlan } from './train-flags.js';
import { ownOut } from './train-output.js';

/** The flags that apply to a resumed run; every other flag is refused with --resume. */
const RESUME_FLAGS = [
  '--out',
  '--epochs',
  '--max-steps',
  '--plots',
  '--no-progress',
  '--overwrite',
];

/**
 * With --resume the run's own flags come from its checkpoint; --out, --epochs, --max-steps (to
 * extend the run), --plots, --no-progress and --overwrite apply, any other flag is refused.
 */
export function resumedFlags(
  given: TrainFlags,
  explicit: readonly string[],
): Pick<TrainPlan, 'flags' | 'resume'> {
  if (given.resume === undefined) return { flags: given, resume: undefined };
  const refused = explicit.filter((f) => f !== '--resume' && !RESUME_FLAGS.includes(f));
  if (refused.length > 0)
    throw new UsageError(
      `--resume goes on with the flags in its checkpoint, so ${refused.join(', ')} cannot be given with it (only ${RESUME_FLAGS.join(', ')} can)`,
    );
  const checkpoint = readCheckpoint(given.resume);
  if (checkpoint.meta?.flags === undefined)
    throw new UsageError(
      `--resume ${given.resume}: that checkpoint was not written by nabla train (it holds no command line)`,
    );
  const saved = savedFlags(checkpoint.meta, checkpoint.source ?? given.resume);
  if (given.epochs !== undefined && Number(given.epochs) < checkpoint.epoch)
    throw new UsageError(
      `--epochs ${given.epochs} with --resume: the checkpoint is already in epoch ${checkpoint.epoch}`,
    );
  // Moved elsewhere by --out, the run keeps its checkpoints there too: its old folder is left as it was.
  const moved = given.out !== undefined && resolve(given.out) !== resolve(ownOut(saved));
  const flags: TrainFlags = {
    ...saved,
    progress: given.progress,
    checkpointDir: moved ? undefined : given.resume,
    checkpointEvery: moved ? (saved.checkpointEvery ?? '100') : saved.checkpointEvery,
    plots: given.plots ?? saved.plots,
    epochs: given.epochs ?? saved.epochs,
    maxSteps: given.maxSteps ?? saved.maxSteps,
    out: given.out ?? saved.out,
    overwrite: given.overwrite,
  };
  return { flags, resume: { checkpoint, dir: given.resume } };
}
