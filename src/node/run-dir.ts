/**
 * The directory a training run writes to, claimed before the first step: created and tested for
 * writing, locked against a second run, and (for the default `runs/<data>`) a fresh
 * `version_N` of its own, as PyTorch Lightning does. The run's final files are written into a
 * temporary directory beside it and swapped into place as a whole, so that a reader never sees
 * the model of one run with the weights of another.
 *
 * @module
 */
import {
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  copyFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { pidAlive, removeStaleRunTemps } from './run-leftovers.js';

/** The files a run writes in its directory: an existing one of these means it holds a run. */
export const RUN_OUTPUTS = [
  'model.json',
  'model.safetensors',
  'history.csv',
  'summary.json',
  ...['loss', 'accuracy', 'gradient-norms', 'decision-boundary'].flatMap((n) => [
    `${n}.svg`,
    `${n}.png`,
  ]),
];

/** What a run asks for: a directory, or (versioned) a parent to make `version_N` in. */
export interface RunDirRequest {
  dir: string;
  /** Make a fresh `dir/version_N` and point `dir/latest` at it. */
  versioned: boolean;
  /** Replace a run already in `dir`. */
  overwrite: boolean;
  /** `dir` is the run's own (a resumed run): its earlier files may be replaced. */
  own: boolean;
  /** The flag that named the directory, for messages. */
  flag: string;
}

/** A claimed run directory: release it when done; commit the final files into it. */
export interface RunDir {
  dir: string;
  /** Writes the final files into a temporary directory (given), then swaps it into place. */
  commit(write: (tmp: string) => void): void;
  /** Removes the lock (and the directory, when it was made for this run and is still empty). */
  release(): void;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** The first ancestor of `path` that exists but is not a directory, if any. */
function blockingFile(path: string): string | undefined {
  for (let p = dirname(resolve(path)); ; p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      // missing: look further up
    }
    if (dirname(p) === p) return undefined;
  }
}

/** Why a directory cannot be created or written, in words a person can act on. */
export function writableProblem(dir: string, err: unknown): string {
  switch (codeOf(err)) {
    case 'ENOTDIR':
    case 'EEXIST': {
      if (existsSync(dir) && !statSync(dir).isDirectory())
        return `${dir} is a file, not a directory`;
      const file = blockingFile(dir);
      return file === undefined
        ? `cannot create ${dir}: a part of its path is not a directory`
        : `cannot create ${dir}: ${file} is not a directory`;
    }
    case 'EACCES':
    case 'EPERM':
      return `${dir} is not writable (permission denied)`;
    case 'EROFS':
      return `${dir} is not writable (read-only file system)`;
    case 'ENOSPC':
      return `${dir} is not writable (no space left on the device)`;
    case 'EDQUOT':
      return `${dir} is not writable (disk quota exceeded)`;
    case 'ENOENT':
      return `cannot create ${dir}: a part of its path does not exist`;
    default:
      return `${dir} is not writable (${err instanceof Error ? err.message : String(err)})`;
  }
}

/**
 * Creates `dir` (and its parents) and writes and removes a probe file in it; returns the topmost
 * folder it created (undefined when `dir` existed).
 */
export function ensureWritableDir(dir: string, flag = '--out'): string | undefined {
  const probe = join(dir, `.nabla-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const made = mkdirSync(dir, { recursive: true });
    writeFileSync(probe, 'probe', { flag: 'wx' });
    unlinkSync(probe);
    return made;
  } catch (err) {
    throw new Error(`${flag} ${dir}: ${writableProblem(dir, err)}`, { cause: err });
  }
}

/**
 * Refuses to start a run whose files would not fit: `bytes` (an estimate of what the run writes)
 * against the room left for this user on the device of `dir`. Where the free space cannot be
 * read, the run goes on.
 */
export function checkRoom(dir: string, bytes: number, flag = '--out'): void {
  let free: number;
  try {
    const fs = statfsSync(dir);
    free = fs.bavail * fs.bsize;
  } catch {
    return;
  }
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
  if (free < bytes)
    throw new Error(
      `${flag} ${dir}: not enough room for the run's files (about ${mb(bytes)} needed, ${mb(free)} free)`,
    );
}

/** The output file that shows `dir` already holds a run (or checkpoints of one), if any. */
export function heldRun(dir: string): string | undefined {
  for (const name of [...RUN_OUTPUTS, join('checkpoints', 'checkpoint.safetensors')])
    if (existsSync(join(dir, name))) return name;
  return undefined;
}

/**
 * Makes the next free `parent/version_N` (one past the highest, as Lightning does); `top` is the
 * topmost folder made for it (`parent` or above when they were new, else the version's own).
 */
function nextVersion(parent: string): { dir: string; top: string } {
  const made = ensureWritableDir(parent);
  const taken = readdirSync(parent)
    .map((n) => /^version_(\d+)$/.exec(n))
    .map((m) => (m === null ? -1 : Number(m[1])));
  for (let n = Math.max(-1, ...taken) + 1; ; n++) {
    const dir = join(parent, `version_${n}`);
    try {
      mkdirSync(dir); // atomic: two runs never get the same N
      return { dir, top: made ?? dir };
    } catch (err) {
      if (codeOf(err) !== 'EEXIST') throw err;
    }
  }
}

/** Points `parent/latest` at `dir`: a symlink, or a small text file where links fail. */
export function pointLatest(parent: string, dir: string): void {
  const latest = join(parent, 'latest');
  const tmp = `${latest}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    if (existsSync(latest) && lstatSync(latest).isDirectory()) return; // someone's own folder
    try {
      symlinkSync(basename(dir), tmp, 'dir');
    } catch {
      writeFileSync(tmp, `${basename(dir)}\n`);
    }
    renameSync(tmp, latest);
  } catch {
    rmSync(tmp, { force: true });
    // the pointer is a convenience: the run's own directory is what the run prints
  }
}

function lockOwner(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeFileSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if (codeOf(err) === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock `lock` of `dir`; a lock whose process is gone is taken over. */
function takeLock(lock: string, dir: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryLock(lock)) return;
    const owner = lockOwner(lock);
    if (owner !== undefined && (owner === process.pid || pidAlive(owner)))
      throw new Error(
        `${dir} is in use by another nabla train (pid ${owner}, lock ${lock}); wait for it to finish or choose another --out`,
      );
    // Stale: move it aside (only one taker can), and check that it was the stale one.
    const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      renameSync(lock, aside);
    } catch {
      continue;
    }
    if (lockOwner(aside) !== owner) {
      try {
        linkSync(aside, lock); // put a live lock back
      } catch {
        // a newer lock is already there
      }
    }
    rmSync(aside, { force: true });
  }
  throw new Error(`cannot take the lock ${lock} of ${dir}; try again`);
}

/** Hard-links (or copies) the tree `src` into `dst`. */
function linkTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isDirectory()) {
    mkdirSync(dst);
    for (const name of readdirSync(src)) linkTree(join(src, name), join(dst, name));
  } else if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
  else
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
}

/** Puts the final files in `tmp` in place of `dir` as a whole, keeping `dir`'s other entries. */
function swapInto(dir: string, tmp: string): void {
  const keep = existsSync(dir) ? readdirSync(dir) : [];
  const written = new Set(readdirSync(tmp));
  for (const name of keep)
    if (!RUN_OUTPUTS.includes(name) && !written.has(name) && !name.startsWith('.nabla-probe-'))
      linkTree(join(dir, name), join(tmp, name));
  // The old folder is moved aside even when empty: a `.old` beside the temporary folder says the
  // swap had begun (the temporary folder is complete), which is what a later run needs to know.
  const old = `${tmp}.old`;
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** Removes a folder this run made, only while it is empty: nothing anyone wrote is lost. */
function removeIfEmpty(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false; // it holds checkpoints (or more): keep them
  }
}

/** Removes `dir` and the folders above it up to `top` that this run made, while they are empty. */
function removeMade(dir: string, top: string): void {
  const last = resolve(top);
  for (let d = resolve(dir); (!existsSync(d) || removeIfEmpty(d)) && d !== last; d = dirname(d));
}

function tempBeside(dir: string): string {
  return join(
    dirname(dir),
    `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Where the run goes, after clearing what killed runs left beside it: a versioned one is made
 * here (`top`: the topmost folder made for it), any other is made when it is claimed.
 */
function target(req: RunDirRequest): { dir: string; top?: string } {
  // What killed runs left beside it goes first (a cut-short swap is finished, so it counts).
  const started = Date.now();
  if (req.versioned) {
    removeStaleRunTemps(req.dir, started);
    return nextVersion(req.dir);
  }
  if (basename(resolve(req.dir)) === '')
    throw new Error(`${req.flag} ${req.dir}: choose a directory other than the root`);
  let dir = req.dir;
  if (existsSync(dir) && lstatSync(dir).isSymbolicLink()) dir = realpathSync(dir);
  removeStaleRunTemps(dirname(resolve(dir)), started);
  return { dir };
}

/** Refuses a directory that holds another run, unless `overwrite` (or it is the run's `own`). */
function refuseHeld(req: RunDirRequest, dir: string): void {
  const held = req.own || req.overwrite ? undefined : heldRun(dir);
  if (held !== undefined)
    throw new Error(
      `${req.flag} ${req.dir} already holds a run (${held}); choose another directory, or add --overwrite to replace it`,
    );
}

/**
 * Claims the directory of a run before its first step: creates it (a fresh `version_N` when
 * versioned), checks that it can be written, locks it (`.NAME.lock` beside it, holding the pid)
 * and refuses one that holds another run unless `overwrite` (or it is the run's `own`).
 */
export function claimRunDir(req: RunDirRequest): RunDir {
  const place = target(req);
  const dir = place.dir;
  // The folders this run made, removed again (while empty) when it ends without a model.
  const top = place.top ?? ensureWritableDir(dir, req.flag);
  if (place.top !== undefined) ensureWritableDir(dir, req.flag);
  const unmake = (): void => {
    if (top !== undefined) removeMade(dir, top);
  };
  const lock = join(dirname(resolve(dir)), `.${basename(resolve(dir))}.lock`);
  try {
    takeLock(lock, dir);
  } catch (err) {
    unmake();
    throw err;
  }
  try {
    refuseHeld(req, dir);
  } catch (err) {
    rmSync(lock, { force: true });
    throw err;
  }
  let committed = false;
  return {
    dir: req.versioned ? dir : req.dir,
    commit(write): void {
      const tmp = tempBeside(resolve(dir));
      try {
        mkdirSync(tmp);
        write(tmp);
        swapInto(resolve(dir), tmp);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw err;
      }
      committed = true;
      if (req.versioned) pointLatest(req.dir, dir);
    },
    release(): void {
      if (!committed) removeIfEmpty(dir);
      if (lockOwner(lock) === process.pid) rmSync(lock, { force: true });
      // The lock sat in the folder above: with it gone, the folders made for the run can go too.
      if (!committed) unmake();
    },
  };
}
