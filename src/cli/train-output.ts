/**
 * Where `nabla train` writes: --out; by default a fresh `runs/<data>/version_N`; with --resume the
 * run's own folder as its checkpoint recorded it, or --out to go on elsewhere.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import type { RunDirRequest } from '../node/run-dir.js';
import type { TrainFlags } from './train-flags.js';

/** The folder of a run, as its checkpoint recorded it (runs/<data> for checkpoints from before versions). */
export function ownOut(saved: TrainFlags): string {
  return saved.out ?? defaultRuns(saved.data);
}

/** The default parent of a run's folder: runs/<data>, with the data's path made into one name. */
function defaultRuns(data: string): string {
  return join('runs', data.replace(/[:/\\]+/g, '-').replace(/^-+|-+$/g, ''));
}

/**
 * The folder to claim: --out; a fresh runs/<data>/version_N by default; with --resume the run's
 * own folder (as its checkpoint recorded it), or --out to put the rest of the run elsewhere.
 */
export function outputRequest(flags: TrainFlags, saved: TrainFlags | undefined): RunDirRequest {
  const overwrite = flags.overwrite === true;
  if (saved !== undefined) {
    const own = ownOut(saved);
    const dir = flags.out ?? own;
    return { dir, versioned: false, overwrite, own: resolve(dir) === resolve(own), flag: '--out' };
  }
  if (flags.out !== undefined)
    return { dir: flags.out, versioned: false, overwrite, own: false, flag: '--out' };
  return { dir: defaultRuns(flags.data), versioned: true, overwrite, own: false, flag: '--out' };
}
